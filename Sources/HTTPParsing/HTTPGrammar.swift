/// The byte classes of the HTTP grammar (RFC 9110 §5.6, RFC 9112) and of URIs (RFC 3986),
/// as tables for the parser's hot loops, and the one decimal number rule the parser uses.
public enum HTTPGrammar {
    /// RFC 9110 §5.6.2 tchar.
    @inline(__always)
    public static func isTokenByte(_ c: UInt8) -> Bool { classes[Int(c)] & token != 0 }

    /// SP or HTAB: OWS and BWS.
    @inline(__always)
    public static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// field-vchar, SP or HTAB: what a field value may hold (RFC 9110 §5.5; obs-text included).
    @inline(__always)
    public static func isFieldValueByte(_ c: UInt8) -> Bool { (c >= 0x20 && c != 0x7F) || c == 0x09 }

    /// qdtext (RFC 9110 §5.6.4): a field-value byte other than `"` and `\`.
    public static func isQuotedTextByte(_ c: UInt8) -> Bool {
        isFieldValueByte(c) && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\")
    }

    @inline(__always)
    public static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    public static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }

    /// RFC 3986 unreserved.
    @inline(__always)
    public static func isUnreserved(_ c: UInt8) -> Bool { classes[Int(c)] & unreserved != 0 }

    /// RFC 3986 sub-delims.
    @inline(__always)
    public static func isSubDelimiter(_ c: UInt8) -> Bool { classes[Int(c)] & subDelimiter != 0 }

    /// RFC 3986 pchar, but for pct-encoded, which takes three bytes and is checked apart.
    @inline(__always)
    public static func isPathByte(_ c: UInt8) -> Bool {
        classes[Int(c)] & (unreserved | subDelimiter) != 0 || c == UInt8(ascii: ":") || c == UInt8(ascii: "@")
    }

    /// A decimal number (`1*DIGIT`, as Content-Length), told apart from one too large to hold.
    public enum Number: Equatable, Sendable {
        case value(Int)
        case tooLargeToHold
        case invalid
    }

    public static func decimal(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Number {
        guard !span.isEmpty else { return .invalid }
        var value = 0
        var overflowed = false
        for i in span {
            guard isDigit(b[i]) else { return .invalid }
            let digit = Int(b[i] - 0x30)
            if value > (Int.max - digit) / 10 { overflowed = true } else { value = value * 10 + digit }
        }
        return overflowed ? .tooLargeToHold : .value(value)
    }

    private static let token: UInt8 = 1
    private static let unreserved: UInt8 = 2
    private static let subDelimiter: UInt8 = 4

    private static let classes: [UInt8] = (0..<256).map { code in
        let c = UInt8(code)
        var bits: UInt8 = 0
        let alphanumeric = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        if alphanumeric || "!#$%&'*+-.^_`|~".utf8.contains(c) { bits |= token }
        if alphanumeric || "-._~".utf8.contains(c) { bits |= unreserved }
        if "!$&'()*+,;=".utf8.contains(c) { bits |= subDelimiter }
        return bits
    }
}
