import Store

/// A span of time named by a prefix of an RFC 3339 timestamp, or a clock minute on any day.
///
/// `2020-02-28` is that whole day, `2020-02-28T12` that hour, `2020-02-28T12:00` that minute,
/// `2020-02-28T12:00:00Z` that second; `2020` and `2020-02` name a year and a month. A zone
/// (`Z`, `+03:00`) may follow a time of day and is converted to UTC; without one the time is
/// read in UTC. `12:00` is that minute on every day.
enum TimeSpan: Equatable {
    /// Inclusive bounds.
    case interval(first: Instant, last: Instant)
    /// Minutes since midnight UTC.
    case minuteOfDay(Int)

    init?(_ text: String) {
        if let minute = Self.clockMinute(Array(text.utf8)) {
            self = .minuteOfDay(minute)
            return
        }
        guard let timestamp = RFC3339Timestamp(text, spaceMeansPlus: true) else { return nil }
        self = .interval(first: timestamp.start, last: timestamp.end.adding(seconds: -1))
    }

    /// `HH:MM` alone.
    private static func clockMinute(_ u: [UInt8]) -> Int? {
        guard u.count == 5, u[2] == UInt8(ascii: ":"), let hour = digits(u, 0, 2), let minute = digits(u, 3, 2),
              hour < 24, minute < 60 else { return nil }
        return hour * 60 + minute
    }

    private static func digits(_ u: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= u.count else { return nil }
        var n = 0
        for i in start..<(start + count) {
            guard (48...57).contains(u[i]) else { return nil }
            n = n * 10 + Int(u[i] - 48)
        }
        return n
    }
}
