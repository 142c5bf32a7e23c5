/// The one RFC 3339 reader of the project: a full timestamp (`2020-02-28T12:00:00Z`,
/// `…T01:30:00.250+03:00`) or a prefix of one that names a span (`2020`, `2020-02`,
/// `2020-02-28`, `2020-02-28T12`, `…T12:00`), with an optional zone after a time of day.
/// `Instant(rfc3339:)` takes only full timestamps; the API's time filters take prefixes.
public struct RFC3339Timestamp: Equatable, Sendable {
    public enum Precision: Int, Comparable, Sendable {
        case year, month, day, hour, minute, second

        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// The last field written.
    public let precision: Precision
    /// Seconds east of UTC; nil when no zone was written (the time is then read in UTC).
    public let offsetSeconds: Int?

    /// Nil for anything else, and for impossible fields (February 30, hour 24, offset +25:00).
    /// With `spaceMeansPlus`, a space before the offset is a `+`, as a query string decodes
    /// an unencoded `+`.
    public init?(_ text: String, spaceMeansPlus: Bool = false) {
        let u = Array(text.utf8)
        guard u.count >= 4, let year = Self.digits(u, 0, 4) else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0, second = 0
        var precision = Precision.year
        var offset: Int?
        if u.count > 4 {
            guard u.count >= 7, u[4] == UInt8(ascii: "-"), let m = Self.digits(u, 5, 2) else { return nil }
            month = m
            precision = .month
        }
        if u.count > 7 {
            guard u.count >= 10, u[7] == UInt8(ascii: "-"), let d = Self.digits(u, 8, 2) else { return nil }
            day = d
            precision = .day
        }
        if u.count > 10 {
            guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t") || u[10] == UInt8(ascii: " ") else { return nil }
            // HH[:MM[:SS[.fff]]]
            var i = 11
            var fields: [Int] = []
            while fields.count < 3, let value = Self.digits(u, i, 2) {
                fields.append(value)
                i += 2
                guard fields.count < 3, i < u.count, u[i] == UInt8(ascii: ":"), Self.digits(u, i + 1, 2) != nil else { break }
                i += 1
            }
            guard !fields.isEmpty else { return nil }
            hour = fields[0]
            minute = fields.count > 1 ? fields[1] : 0
            second = fields.count > 2 ? fields[2] : 0
            precision = [Precision.hour, .minute, .second][fields.count - 1]
            if fields.count == 3, i < u.count, u[i] == UInt8(ascii: ".") {  // fractional seconds: accepted, dropped
                i += 1
                let start = i
                while i < u.count, (48...57).contains(u[i]) { i += 1 }
                guard i > start else { return nil }
            }
            if i < u.count {
                switch u[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    guard i + 1 == u.count else { return nil }
                    offset = 0
                case UInt8(ascii: " ") where !spaceMeansPlus:
                    return nil
                case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: " "):
                    guard u.count == i + 6, u[i + 3] == UInt8(ascii: ":"),
                          let hours = Self.digits(u, i + 1, 2), let minutes = Self.digits(u, i + 4, 2),
                          hours < 24, minutes < 60 else { return nil }
                    offset = (hours * 3600 + minutes * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
                default:
                    return nil
                }
            }
        }
        guard Instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second) != nil else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        self.precision = precision
        offsetSeconds = offset
    }

    /// The first instant the text names, in UTC.
    public var start: Instant {
        let local = Instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second)!
        return local.adding(seconds: Int64(-(offsetSeconds ?? 0)))
    }

    /// The first instant after the span the text names (a year, a month, … a second).
    public var end: Instant {
        switch precision {
        case .year: return Instant(year: year + 1, month: 1, day: 1)!.adding(seconds: Int64(-(offsetSeconds ?? 0)))
        case .month:
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return Instant(year: next.0, month: next.1, day: 1)!.adding(seconds: Int64(-(offsetSeconds ?? 0)))
        case .day: return start.adding(seconds: 86_400)
        case .hour: return start.adding(seconds: 3600)
        case .minute: return start.adding(seconds: 60)
        case .second: return start.adding(seconds: 1)
        }
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
