/// A request-target split into its decoded path and query items.
///
/// Accepts origin-form (`/updates?limit=5`) and absolute-form
/// (`http://host/updates?limit=5`); the authority of the latter is the server's business.
struct RequestTarget: Equatable {
    /// Percent-decoded.
    var path: String
    /// Percent-decoded names and values, `+` read as a space, in order.
    var query: [(name: String, value: String)]

    static func == (lhs: RequestTarget, rhs: RequestTarget) -> Bool {
        lhs.path == rhs.path && lhs.query.map { [$0.name, $0.value] } == rhs.query.map { [$0.name, $0.value] }
    }

    /// Nil when the target is not a path, or its percent-encoding is broken or decodes
    /// to bytes that are not UTF-8 or hold a NUL.
    init?(_ target: String) {
        var raw = Substring(target)
        if let schemeEnd = raw.range(of: "://"), raw.first != "/" {
            let scheme = raw[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            let afterAuthority = raw[schemeEnd.upperBound...]
            raw = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterAuthority[$0...] } ?? "/"
            if raw.first == "?" { raw = "/" + raw }
        }
        guard raw.first == "/" else { return nil }
        if let hash = raw.firstIndex(of: "#") { raw = raw[..<hash] }
        let pathPart: Substring
        let queryPart: Substring?
        if let mark = raw.firstIndex(of: "?") {
            pathPart = raw[..<mark]
            queryPart = raw[raw.index(after: mark)...]
        } else {
            pathPart = raw
            queryPart = nil
        }
        guard let path = Self.percentDecode(pathPart, plusIsSpace: false) else { return nil }
        self.path = path
        var items: [(name: String, value: String)] = []
        for pair in queryPart?.split(separator: "&", omittingEmptySubsequences: true) ?? [] {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.percentDecode(parts[0], plusIsSpace: true),
                  let value = Self.percentDecode(parts.count > 1 ? parts[1] : "", plusIsSpace: true)
            else { return nil }
            items.append((name, value))
        }
        query = items
    }

    static func percentDecode(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        guard !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Percent-encodes a query value so that it survives a round trip through `init`.
    static func encodeQueryValue(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"), UInt8(ascii: ":"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
