/// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2), with uri-host as RFC 3986 §3.2.2 has it:
/// an IP literal in brackets (IPv6 or IPvFuture), or a reg-name (which covers IPv4 too), and
/// port as `*DIGIT`. Checked whole, so that a value either is a host or is refused.
public enum HostGrammar {
    /// Whether `span` of `b` is a valid Host field value. An empty value is one: a client
    /// sends it when the target URI has no authority (RFC 9112 §3.2).
    public static func isValidHostField(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        hostEnd(b, span).map { portIsValid(b, $0..<span.upperBound) } ?? false
    }

    /// The authority of an `http` or `https` URI as a request target carries it: the same
    /// grammar, but the host may not be empty (RFC 9110 §4.2.1) and userinfo is refused
    /// (§4.2.4).
    public static func isValidTargetAuthority(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        guard let end = hostEnd(b, span), end > span.lowerBound else { return false }
        return portIsValid(b, end..<span.upperBound)
    }

    /// The end of the uri-host at the start of `span`, or nil when it is not one.
    private static func hostEnd(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Int? {
        var i = span.lowerBound
        let end = span.upperBound
        if i < end, b[i] == UInt8(ascii: "[") {
            var close = i + 1
            while close < end, b[close] != UInt8(ascii: "]") { close += 1 }
            guard close < end else { return nil }
            let literal = (i + 1)..<close
            guard isIPv6Address(b, literal) || isIPvFuture(b, literal) else { return nil }
            return close + 1
        }
        // reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4address is one too.
        while i < end, b[i] != UInt8(ascii: ":") {
            let c = b[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < end, HTTPGrammar.hexValue(b[i + 1]) != nil, HTTPGrammar.hexValue(b[i + 2]) != nil else { return nil }
                i += 3
                continue
            }
            guard HTTPGrammar.isUnreserved(c) || HTTPGrammar.isSubDelimiter(c) else { return nil }
            i += 1
        }
        return i
    }

    /// Empty, or `:` and `*DIGIT`.
    private static func portIsValid(_ b: UnsafeRawBufferPointer, _ rest: Range<Int>) -> Bool {
        guard let first = rest.first else { return true }
        guard b[first] == UInt8(ascii: ":") else { return false }
        return rest.dropFirst().allSatisfy { HTTPGrammar.isDigit(b[$0]) }
    }

    /// RFC 3986 IPv6address: eight groups of one to four hex digits, or fewer around one
    /// `::`; the last two groups may be an IPv4 address.
    static func isIPv6Address(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        var i = span.lowerBound
        let end = span.upperBound
        var groups = 0
        var compressed = false
        if i + 1 < end, b[i] == UInt8(ascii: ":"), b[i + 1] == UInt8(ascii: ":") {
            compressed = true
            i += 2
        }
        while i < end {
            let start = i
            while i < end, i - start < 5, HTTPGrammar.hexValue(b[i]) != nil { i += 1 }
            if i < end, b[i] == UInt8(ascii: ".") {
                // ls32 as an IPv4 address: the rest of the literal, counting as two groups.
                guard isIPv4Address(b, start..<end) else { return false }
                groups += 2
                i = end
                break
            }
            let digits = i - start
            guard (1...4).contains(digits) else { return false }
            groups += 1
            if i == end { break }
            guard b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            if i < end, b[i] == UInt8(ascii: ":") {
                guard !compressed else { return false }
                compressed = true
                i += 1
                if i == end { break }
            } else if i == end {
                return false
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }

    /// RFC 3986 IPv4address: four dec-octets (0 to 255, no leading zero) joined by dots.
    static func isIPv4Address(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        var i = span.lowerBound
        for octet in 0..<4 {
            if octet > 0 {
                guard i < span.upperBound, b[i] == UInt8(ascii: ".") else { return false }
                i += 1
            }
            let start = i
            var value = 0
            while i < span.upperBound, i - start < 3, HTTPGrammar.isDigit(b[i]) {
                value = value * 10 + Int(b[i] - 0x30)
                i += 1
            }
            let digits = i - start
            guard digits > 0, value <= 255, digits == 1 || b[start] != UInt8(ascii: "0") else { return false }
        }
        return i == span.upperBound
    }

    /// RFC 3986 IPvFuture: `v` 1*HEXDIG `.` 1*( unreserved / sub-delims / `:` ).
    static func isIPvFuture(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        var i = span.lowerBound
        guard i < span.upperBound, b[i] | 0x20 == UInt8(ascii: "v") else { return false }
        i += 1
        let start = i
        while i < span.upperBound, HTTPGrammar.hexValue(b[i]) != nil { i += 1 }
        guard i > start, i < span.upperBound, b[i] == UInt8(ascii: ".") else { return false }
        i += 1
        guard i < span.upperBound else { return false }
        return (i..<span.upperBound).allSatisfy {
            HTTPGrammar.isUnreserved(b[$0]) || HTTPGrammar.isSubDelimiter(b[$0]) || b[$0] == UInt8(ascii: ":")
        }
    }
}
