/// Why the engine refused a request before it reached the routes: the error type of the
/// HTTP layer, each case an RFC 9457 problem with the status a client can act on.
public enum HTTPError: Error, Equatable, Sendable {
    case badRequest(String)
    case uriTooLong
    case headersTooLarge
    case trailersTooLarge
    case contentTooLarge
    case chunkMetadataTooLarge
    case expectationFailed
    case notImplemented(String)
    case versionNotSupported
    case requestTimeout

    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .requestTimeout: return 408
        case .contentTooLarge, .chunkMetadataTooLarge: return 413
        case .uriTooLong: return 414
        case .expectationFailed: return 417
        case .headersTooLarge, .trailersTooLarge: return 431
        case .notImplemented: return 501
        case .versionNotSupported: return 505
        }
    }

    public var detail: String {
        switch self {
        case .badRequest(let why): return why
        case .uriTooLong: return "the request line is longer than \(HTTPLimits.maximumRequestLineBytes) bytes"
        case .headersTooLarge:
            return "the header section is larger than \(HTTPLimits.maximumHeaderBytes) bytes or has more than \(HTTPLimits.maximumHeaderCount) fields"
        case .trailersTooLarge: return "the trailer section of the chunked body is larger than \(HTTPLimits.maximumTrailerBytes) bytes"
        case .contentTooLarge: return "the request body is larger than \(HTTPLimits.maximumBodyBytes) bytes"
        case .chunkMetadataTooLarge:
            return "the chunk-size lines of the chunked body (extensions included) add up to more than \(HTTPLimits.maximumChunkMetadataBytes) bytes"
        case .expectationFailed: return "only 'Expect: 100-continue' is supported"
        case .notImplemented(let why): return why
        case .versionNotSupported: return "only HTTP/1.0 and HTTP/1.1 are supported"
        case .requestTimeout: return "the request did not arrive whole within \(HTTPLimits.requestTimeoutMilliseconds / 1000) seconds"
        }
    }
}
