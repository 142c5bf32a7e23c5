#define _GNU_SOURCE
#include <malloc.h>
#include <sched.h>
#include <sys/socket.h>
#include "CLinux.h"

int liveblog_allowed_cpu_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) {
        return 1;
    }
    int count = CPU_COUNT(&set);
    return count > 0 ? count : 1;
}

int liveblog_accept_nonblocking(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int liveblog_release_free_memory(void) {
    return malloc_trim(0);
}
