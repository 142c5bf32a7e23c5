import HTTPParsing
import Routes

/// One answer of the routes in each content coding a client may ask for, with the `304` of
/// each: identity when it is made, `gzip` and `br` the first time a client takes them, so
/// a body is compressed once per cache entry and never per request.
///
/// Each coding is its own representation (RFC 9110 §8.8.3): its own strong `ETag` (the
/// identity tag with the coding's name appended), and `If-None-Match` is compared with the
/// tag of the representation the request would get.
final class ResponseVariants {
    let status: Int
    /// Compressed codings are offered at all: a compressible, large enough, cacheable 200.
    let compressible: Bool
    private let headers: [(name: String, value: String)]
    private let identityTag: String?
    /// The route's template, which every variant carries for `/metrics`.
    private let route: String?
    private var encoded: [EncodedResponse?]
    private var notModified: [EncodedResponse?]

    /// The bytes this holds, for the cache's bound.
    private(set) var storedBytes = 0

    init(_ response: Response, mayCompress: Bool) {
        status = response.status
        route = response.route
        let contentType = response.headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
        compressible = mayCompress && response.status == 200 && response.body.count >= Compressor.minimumBodyBytes
            && Compressor.isCompressible(contentType: contentType)
        var headers = response.headers
        if compressible {
            if let vary = headers.firstIndex(where: { $0.name.lowercased() == "vary" }) {
                headers[vary].value += ", Accept-Encoding"
            } else {
                headers.append(("Vary", "Accept-Encoding"))
            }
        }
        self.headers = headers
        identityTag = headers.first { $0.name.lowercased() == "etag" }?.value
        encoded = Array(repeating: nil, count: ContentCoding.allCases.count)
        notModified = encoded
        let identity = EncodedResponse(Response(status: status, headers: headers, body: response.body, route: route))
        encoded[ContentCoding.identity.rawValue] = identity
        storedBytes = identity.head.count + identity.body.count
    }

    /// The response for a request that takes `coding` (identity when this one is not
    /// compressible) and sent `If-None-Match` (nil when it did not).
    func response(for requested: ContentCoding, ifNoneMatch: UnsafeRawBufferPointer?) -> EncodedResponse {
        let coding = compressible ? requested : .identity
        if let ifNoneMatch, status == 200, let tag = tag(for: coding),
           Self.matches(ifNoneMatch: ifNoneMatch, tag: tag) {
            return notModifiedResponse(for: coding)
        }
        return response(for: coding)
    }

    private func response(for coding: ContentCoding) -> EncodedResponse {
        if let made = encoded[coding.rawValue] { return made }
        let identityBody = encoded[ContentCoding.identity.rawValue]!.body
        let body = Compressor.compress(Array(identityBody.bytes), as: coding)
        let made = EncodedResponse(Response(status: status, headers: fields(for: coding), body: body, route: route))
        encoded[coding.rawValue] = made
        storedBytes += made.head.count + made.body.count
        return made
    }

    /// RFC 9110 §15.4.5: the fields a 200 would carry that caches need (ETag, Vary,
    /// Cache-Control and the CORS fields here), without describing a body.
    private func notModifiedResponse(for coding: ContentCoding) -> EncodedResponse {
        if let made = notModified[coding.rawValue] { return made }
        let kept = fields(for: coding).filter {
            !["content-type", "content-encoding", "link"].contains($0.name.lowercased())
        }
        let made = EncodedResponse(Response(status: 304, headers: kept, route: route))
        notModified[coding.rawValue] = made
        storedBytes += made.head.count
        return made
    }

    private func fields(for coding: ContentCoding) -> [(name: String, value: String)] {
        guard coding != .identity else { return headers }
        var fields = headers
        if let etag = fields.firstIndex(where: { $0.name.lowercased() == "etag" }), let tag = tag(for: coding) {
            fields[etag].value = tag
        }
        fields.append(("Content-Encoding", coding.token))
        return fields
    }

    /// `"<identity tag>-gzip"`: distinct per coding, and known without compressing, so a
    /// revalidation is answered before the body is ever made.
    private func tag(for coding: ContentCoding) -> String? {
        guard let identityTag else { return nil }
        guard coding != .identity, identityTag.hasSuffix("\""), !identityTag.hasPrefix("W/") else { return identityTag }
        return String(identityTag.dropLast()) + "-" + coding.token + "\""
    }

    /// RFC 9110 §13.1.2: `*`, or a list of entity tags compared weakly (`W/` ignored).
    static func matches(ifNoneMatch b: UnsafeRawBufferPointer, tag: String) -> Bool {
        let wanted = tag.hasPrefix("W/") ? Substring(tag.dropFirst(2)) : Substring(tag)
        var found = false
        RequestParser.forEachToken(b, 0..<b.count) { element in
            var start = element.lowerBound
            if element.count == 1, b[start] == UInt8(ascii: "*") {
                found = true
                return
            }
            if element.count > 2, b[start] == UInt8(ascii: "W"), b[start + 1] == UInt8(ascii: "/") { start += 2 }
            if UnsafeRawBufferPointer(rebasing: b[start..<element.upperBound]).elementsEqual(wanted.utf8) { found = true }
        }
        return found
    }
}
