/// The four forms of a request target (RFC 9112 §3.2), told apart on the raw bytes so that
/// the common case, origin form, costs one comparison.
public enum TargetForm {
    /// `/updates?limit=5`
    case origin(UnsafeRawBufferPointer)
    /// `http://host/updates?limit=5`: the origin-form part; `needsSlash` when the path is
    /// empty (`http://host?x=1`), so the bytes start at the query (or are empty).
    case absolute(UnsafeRawBufferPointer, needsSlash: Bool)
    /// `*` (OPTIONS only)
    case asterisk
    /// `host:443` (CONNECT only), or anything else that is not one of the above.
    case authority

    public static func classify(_ target: UnsafeRawBufferPointer) -> TargetForm {
        guard let first = target.first else { return .authority }
        if first == UInt8(ascii: "/") { return .origin(target) }
        if first == UInt8(ascii: "*") && target.count == 1 { return .asterisk }
        guard let authority = absoluteAuthority(target, 0..<target.count) else { return .authority }
        let rest = UnsafeRawBufferPointer(rebasing: target[authority.upperBound...])
        return .absolute(rest, needsSlash: rest.first != UInt8(ascii: "/"))
    }

    /// Why the target at `span` of `b` breaks its form's grammar (RFC 9112 §3.2.1–3.2.4 with
    /// RFC 3986's path, query and authority), or nil when it keeps it.
    public static func violation(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> String? {
        guard let first = span.first else { return "the request target is empty" }
        if b[first] == UInt8(ascii: "/") {
            return isPathAndQuery(b, span) ? nil : originFormRule
        }
        if b[first] == UInt8(ascii: "*") && span.count == 1 { return nil }
        if let authority = absoluteAuthority(b, span) {
            guard HostGrammar.isValidTargetAuthority(b, authority) else {
                return "the authority of the absolute target must be a host with an optional port (no user, not empty)"
            }
            let rest = authority.upperBound..<span.upperBound
            guard rest.isEmpty || b[rest.lowerBound] == UInt8(ascii: "/") || b[rest.lowerBound] == UInt8(ascii: "?"),
                  isPathAndQuery(b, rest) else { return originFormRule }
            return nil
        }
        // authority-form = uri-host ":" port (CONNECT): the routes refuse the method; the
        // form itself is checked.
        let hasPort = span.contains { b[$0] == UInt8(ascii: ":") } && b[span.upperBound - 1] != UInt8(ascii: "]")
        return hasPort && HostGrammar.isValidTargetAuthority(b, span) ? nil
            : "the request target must start with '/' or 'http://', or be '*' or host:port"
    }

    private static let originFormRule =
        "the request target's path and query may hold only letters, digits, '-._~!$&'()*+,;=:@/?' and %XX escapes"

    /// The span of the authority when the target starts with `http://` or `https://`
    /// (any case), up to the first `/`, `?` or `#`.
    private static func absoluteAuthority(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Range<Int>? {
        for scheme in ["http://", "https://"] where span.count >= scheme.utf8.count {
            var matches = true
            for (index, expected) in scheme.utf8.enumerated() where b[span.lowerBound + index] | 0x20 != expected {
                // `| 0x20` lowercases letters; ':' and '/' already have that bit set.
                matches = false
                break
            }
            guard matches else { continue }
            let start = span.lowerBound + scheme.utf8.count
            var end = start
            while end < span.upperBound, b[end] != UInt8(ascii: "/"), b[end] != UInt8(ascii: "?"), b[end] != UInt8(ascii: "#") {
                end += 1
            }
            return start..<end
        }
        return nil
    }

    /// `*( pchar / "/" / "?" )`, pct-encoded as `%` and two hex digits.
    private static func isPathAndQuery(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        var i = span.lowerBound
        while i < span.upperBound {
            let c = b[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < span.upperBound, HTTPGrammar.hexValue(b[i + 1]) != nil, HTTPGrammar.hexValue(b[i + 2]) != nil else {
                    return false
                }
                i += 3
                continue
            }
            guard HTTPGrammar.isPathByte(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: "?") else { return false }
            i += 1
        }
        return true
    }
}
