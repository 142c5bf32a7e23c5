import Glibc

/// The `Date` field (RFC 9110 §5.6.7), formatted once per second per loop and shared by
/// every response written in that second.
struct HTTPDateClock {
    private(set) var second: Int = -1
    /// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n`
    private(set) var line = ByteBlock([])
    /// The same with the blank line that ends the head, for the common keep-alive case.
    private(set) var lineEndingHead = ByteBlock([])

    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Refreshes the field when the second has changed; returns the current second.
    @discardableResult
    mutating func tick() -> Int {
        let now = Int(time(nil))
        guard now != second else { return now }
        second = now
        var t = time_t(now)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let text = "Date: \(Self.days[(now / 86_400) % 7]), \(pad(parts.tm_mday)) \(Self.months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) GMT\r\n"
        line = ByteBlock(text)
        lineEndingHead = ByteBlock(text + "\r\n")
        return now
    }
}
