/// The four forms of a request target (RFC 9112 §3.2), told apart on the raw bytes so that
/// the common case, origin form, costs one comparison.
enum TargetForm {
    /// `/updates?limit=5`
    case origin(UnsafeRawBufferPointer)
    /// `http://host/updates?limit=5`: the origin-form part; `needsSlash` when the path is
    /// empty (`http://host?x=1`), so the bytes start at the query (or are empty).
    case absolute(UnsafeRawBufferPointer, needsSlash: Bool)
    /// `*` (OPTIONS only)
    case asterisk
    /// `host:443` (CONNECT only), or anything else that is not one of the above.
    case authority

    static func classify(_ target: UnsafeRawBufferPointer) -> TargetForm {
        guard let first = target.first else { return .authority }
        if first == UInt8(ascii: "/") { return .origin(target) }
        if first == UInt8(ascii: "*") && target.count == 1 { return .asterisk }
        for scheme in ["http://", "https://"] where target.count >= scheme.utf8.count {
            var matches = true
            for (index, expected) in scheme.utf8.enumerated() where target[index] | 0x20 != expected {
                // `| 0x20` lowercases letters; ':' and '/' already have that bit set.
                matches = false
                break
            }
            guard matches else { continue }
            var start = scheme.utf8.count
            while start < target.count, target[start] != UInt8(ascii: "/"), target[start] != UInt8(ascii: "?") {
                start += 1
            }
            let rest = UnsafeRawBufferPointer(rebasing: target[start...])
            return .absolute(rest, needsSlash: rest.first != UInt8(ascii: "/"))
        }
        return .authority
    }
}
