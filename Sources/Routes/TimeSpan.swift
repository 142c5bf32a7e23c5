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
        let u = Array(text.utf8)
        if let minute = Self.clockMinute(u) {
            self = .minuteOfDay(minute)
            return
        }
        guard u.count >= 4, let year = Self.digits(u, 0, 4) else { return nil }
        // Year only.
        if u.count == 4 {
            guard let first = Instant(year: year, month: 1, day: 1),
                  let next = Instant(year: year + 1, month: 1, day: 1) else { return nil }
            self = .interval(first: first, last: next.adding(seconds: -1))
            return
        }
        guard u.count >= 7, u[4] == UInt8(ascii: "-"), let month = Self.digits(u, 5, 2), (1...12).contains(month) else {
            return nil
        }
        if u.count == 7 {
            guard let first = Instant(year: year, month: month, day: 1) else { return nil }
            let days = CivilDate.daysIn(month: month, year: year)
            self = .interval(first: first, last: first.adding(seconds: Int64(days) * 86_400 - 1))
            return
        }
        guard u.count >= 10, u[7] == UInt8(ascii: "-"), let day = Self.digits(u, 8, 2),
              let dayStart = Instant(year: year, month: month, day: day)
        else { return nil }
        if u.count == 10 {
            self = .interval(first: dayStart, last: dayStart.adding(seconds: 86_399))
            return
        }
        guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t") || u[10] == UInt8(ascii: " ") else { return nil }
        // Time of day: HH[:MM[:SS[.fff]]] then an optional zone.
        var i = 11
        var fields: [Int] = []
        while fields.count < 3 {
            guard let value = Self.digits(u, i, 2) else { break }
            fields.append(value)
            i += 2
            if fields.count < 3, i < u.count, u[i] == UInt8(ascii: ":"), Self.digits(u, i + 1, 2) != nil {
                i += 1
            } else {
                break
            }
        }
        guard !fields.isEmpty else { return nil }
        if fields.count == 3, i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < u.count, (48...57).contains(u[i]) { i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        if i < u.count {
            switch u[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                guard i + 1 == u.count else { return nil }
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: " "):
                // A `+` arrives as a space when a client forgets to encode it in a query.
                guard u.count == i + 6, u[i + 3] == UInt8(ascii: ":"),
                      let hours = Self.digits(u, i + 1, 2), let minutes = Self.digits(u, i + 4, 2),
                      hours < 24, minutes < 60 else { return nil }
                offset = (hours * 3600 + minutes * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
            default:
                return nil
            }
        }
        let hour = fields[0], minute = fields.count > 1 ? fields[1] : 0, second = fields.count > 2 ? fields[2] : 0
        guard let local = Instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second) else {
            return nil
        }
        let first = local.adding(seconds: Int64(-offset))
        let length: Int64 = [3600, 60, 1][fields.count - 1]
        self = .interval(first: first, last: first.adding(seconds: length - 1))
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
