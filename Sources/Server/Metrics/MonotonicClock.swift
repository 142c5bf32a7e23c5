import Glibc

/// The monotonic clock (a vDSO call, no system call): what request durations are measured
/// with and the engine's deadlines are kept on, immune to the wall clock being set.
enum MonotonicClock {
    @inline(__always)
    static func nanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000_000 + now.tv_nsec
    }

    /// Milliseconds, for deadlines.
    @inline(__always)
    static func milliseconds() -> Int64 {
        Int64(nanoseconds() / 1_000_000)
    }
}
