import HTTPParsing
import Routes

/// The answer of the plain-HTTP listener beside an HTTPS one: every request is sent to the
/// same target on the HTTPS port with a 308 (the method and body are kept, RFC 9110 §15.4.9).
///
/// The host comes from the request (a server answers to many names), but only a syntactically
/// valid host name or IP literal is accepted, the port is always ours, and the target is
/// always a path: the redirect can only ever point at this server.
enum HTTPSRedirect {
    /// `https://host[:port]/path?query`, or nil when the host or the target is unusable.
    static func location(host: String, target: String, httpsPort: Int) -> String? {
        guard let name = hostName(host), target.hasPrefix("/") else { return nil }
        let port = httpsPort == 443 ? "" : ":\(httpsPort)"
        return "https://\(name)\(port)\(target)"
    }

    /// The host part of a Host header (`example.org:80`, `[::1]:8080`), checked: letters,
    /// digits, dots and hyphens, or a bracketed IPv6 literal. Nil when anything else.
    static func hostName(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1 else { return nil }
            let literal = bytes[1..<close]
            guard literal.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }),
                  validPort(bytes[(close + 1)...]) else { return nil }
            return String(decoding: bytes[0...close], as: UTF8.self)
        }
        let colon = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
        let name = bytes[0..<colon]
        guard !name.isEmpty, name.count <= 253, validPort(bytes[colon...]),
              name.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
              name.first != UInt8(ascii: "."), name.first != UInt8(ascii: "-") else { return nil }
        return String(decoding: name, as: UTF8.self).lowercased()
    }

    /// The response for a request, or a 400 problem when it carries no usable host.
    static func response(host: String?, target: String, httpsPort: Int) -> Response {
        guard let host, let url = location(host: host, target: target, httpsPort: httpsPort) else {
            return Problem.response(status: 400,
                                    detail: "this port only redirects to HTTPS, and needs a valid Host header and a path to do it")
        }
        return Response(status: 308, headers: [("Location", url)], body: [])
    }

    /// The answer to a parsed request on the redirect listener, as the engine sends it.
    static func encodedResponse(to head: RequestParser.Head, in bytes: UnsafeRawBufferPointer, httpsPort: Int) -> EncodedResponse {
        let host = head.host.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        var target = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[head.target]), as: UTF8.self)
        if case .absolute(let path, let needsSlash) = TargetForm.classify(UnsafeRawBufferPointer(rebasing: bytes[head.target])) {
            target = (needsSlash ? "/" : "") + String(decoding: path, as: UTF8.self)
        }
        return EncodedResponse(response(host: host, target: target, httpsPort: httpsPort))
    }

    /// Empty, or `:` and 1 to 5 digits.
    private static func validPort(_ rest: ArraySlice<UInt8>) -> Bool {
        guard let first = rest.first else { return true }
        let digits = rest.dropFirst()
        return first == UInt8(ascii: ":") && (1...5).contains(digits.count) && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func isLetterOrDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }
}
