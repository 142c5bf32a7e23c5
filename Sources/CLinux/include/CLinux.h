// Linux interfaces that Swift's Glibc module does not expose: epoll, eventfd, inotify, CPU
// affinity, the executable's build id, returning free heap pages.
#ifndef LIVEBLOG_CLINUX_H
#define LIVEBLOG_CLINUX_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>

/// The number of CPUs this process may run on (its affinity mask, as `taskset` sets it).
int liveblog_allowed_cpu_count(void);

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC (accept4 is a GNU extension).
int liveblog_accept_nonblocking(int listener);

/// Copies the running executable's GNU build id (the ELF note the linker writes, a hash of
/// the linked code) into `out`; returns its length, 0 when the executable has none.
int liveblog_executable_build_id(unsigned char *out, int capacity);

/// malloc_trim(3): gives the heap's free pages back to the kernel; returns 1 if it did.
int liveblog_release_free_memory(void);

#endif
