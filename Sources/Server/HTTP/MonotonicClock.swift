import Glibc

/// Milliseconds of CLOCK_MONOTONIC: deadlines that an NTP step or a changed wall clock
/// cannot move.
enum MonotonicClock {
    static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
