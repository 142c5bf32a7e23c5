/// A UTC instant with one-second resolution: what every time in the store is.
///
/// Kept as whole seconds since the Unix epoch so that comparisons, sorting and range
/// queries are integer operations, and formatted by hand because `DateFormatter` is slow and
/// locale-dependent.
public struct Instant: Hashable, Comparable, Sendable {
    public let secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// The instant at a civil date and time in UTC. Returns nil for impossible fields
    /// (month 13, hour 25, February 30).
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        secondsSinceEpoch = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    public func adding(seconds: Int64) -> Instant {
        Instant(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// The UTC calendar day this instant falls on.
    public var civilDate: CivilDate {
        CivilDate(daysSinceEpoch: Int(secondsSinceEpoch.floorDiv(86_400)))
    }

    /// Seconds since midnight UTC.
    public var secondOfDay: Int {
        Int(secondsSinceEpoch - secondsSinceEpoch.floorDiv(86_400) * 86_400)
    }

    /// RFC 3339 in UTC with seconds and a `Z`: `2020-02-28T12:00:00Z`.
    public var rfc3339: String {
        let d = civilDate
        let s = secondOfDay
        // Every page prints a time per update: digits written in place, not interpolated.
        guard (0...9999).contains(d.year) else {
            return "\(d.iso8601)T\(Self.pad2(s / 3600)):\(Self.pad2(s / 60 % 60)):\(Self.pad2(s % 60))Z"
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            d.writeDigits(into: out)
            out[10] = UInt8(ascii: "T")
            for (offset, value) in [(11, s / 3600), (14, s / 60 % 60), (17, s % 60)] {
                out[offset] = UInt8(ascii: "0") + UInt8(value / 10)
                out[offset + 1] = UInt8(ascii: "0") + UInt8(value % 10)
            }
            out[13] = UInt8(ascii: ":")
            out[16] = UInt8(ascii: ":")
            out[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Parses the form `rfc3339` produces, with fractional seconds (dropped) and offsets
    /// (`+03:00`, converted to UTC): a full RFC 3339 timestamp, never a prefix of one.
    public init?(rfc3339 text: String) {
        guard let fields = RFC3339Timestamp(text), fields.precision == .second, fields.offsetSeconds != nil else { return nil }
        self = fields.start
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension Instant: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let instant = Instant(rfc3339: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not an RFC 3339 time: \(text)"))
        }
        self = instant
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rfc3339)
    }
}

/// A day of the proleptic Gregorian calendar, with the conversions to and from a day count
/// (Howard Hinnant's `days_from_civil` algorithm).
public struct CivilDate: Hashable, Comparable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(daysSinceEpoch z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DD`.
    public var iso8601: String {
        guard (0...9999).contains(year) else {
            let y = String(year)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + Instant.pad2(month) + "-" + Instant.pad2(day)
        }
        return String(unsafeUninitializedCapacity: 10) { out in
            writeDigits(into: out)
            return 10
        }
    }

    /// `YYYY-MM-DD` into the first 10 bytes of `out`, for a year of 0 to 9999.
    func writeDigits(into out: UnsafeMutableBufferPointer<UInt8>) {
        let zero = UInt8(ascii: "0")
        out[0] = zero + UInt8(year / 1000)
        out[1] = zero + UInt8(year / 100 % 10)
        out[2] = zero + UInt8(year / 10 % 10)
        out[3] = zero + UInt8(year % 10)
        out[4] = UInt8(ascii: "-")
        out[5] = zero + UInt8(month / 10)
        out[6] = zero + UInt8(month % 10)
        out[7] = UInt8(ascii: "-")
        out[8] = zero + UInt8(day / 10)
        out[9] = zero + UInt8(day % 10)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, so times before 1970 land on the right day.
    func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }

    /// The remainder of `floorDiv`: in `0..<d` for a positive `d`.
    func floorMod(_ d: Int64) -> Int64 {
        self - floorDiv(d) * d
    }
}
