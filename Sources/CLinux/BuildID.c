// The GNU build id of the running executable, read from its PT_NOTE segments in memory.
#define _GNU_SOURCE
#include <link.h>
#include <string.h>
#include "CLinux.h"

struct build_id_search {
    unsigned char *out;
    int capacity;
    int length;
};

static int find_in_main_program(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct build_id_search *search = context;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_NOTE) continue;
        const unsigned char *note = (const unsigned char *)(info->dlpi_addr + segment->p_vaddr);
        const unsigned char *end = note + segment->p_memsz;
        while (note + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *header = (const ElfW(Nhdr) *)note;
            const unsigned char *name = note + sizeof(ElfW(Nhdr));
            const unsigned char *desc = name + ((header->n_namesz + 3) & ~3u);
            const unsigned char *next = desc + ((header->n_descsz + 3) & ~3u);
            if (next > end) break;
            if (header->n_type == NT_GNU_BUILD_ID && header->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
                int length = (int)header->n_descsz;
                if (length > search->capacity) length = search->capacity;
                memcpy(search->out, desc, (size_t)length);
                search->length = length;
                return 1;
            }
            note = next;
        }
    }
    return 1;  // the first object listed is the executable itself; libraries don't count
}

int liveblog_executable_build_id(unsigned char *out, int capacity) {
    struct build_id_search search = { out, capacity, 0 };
    dl_iterate_phdr(find_in_main_program, &search);
    return search.length;
}
