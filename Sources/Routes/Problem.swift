/// Why the routes refused a request: the one error type of this layer, each case becoming
/// an RFC 9457 problem response that names what to change.
enum RoutesError: Error, Equatable {
    /// A query parameter has a value the endpoint cannot use.
    case invalidParameter(name: String, reason: String)
    /// A query parameter the endpoint does not know (a typo would otherwise be ignored).
    case unknownParameter(name: String, known: [String])
    /// A path segment that should be a time is not one.
    case invalidTime(String)
    /// The target is not a valid path (broken percent-encoding, not UTF-8).
    case invalidTarget
    case notFound(detail: String)
    case methodNotAllowed(method: String, allow: String)
    /// The first load of the corpus has not finished.
    case notReady(done: Int, total: Int)

    var status: Int {
        switch self {
        case .invalidParameter, .unknownParameter, .invalidTime, .invalidTarget: return 400
        case .notFound: return 404
        case .methodNotAllowed: return 405
        case .notReady: return 503
        }
    }

    var detail: String {
        switch self {
        case .invalidParameter(let name, let reason):
            return "query parameter '\(name)': \(reason)"
        case .unknownParameter(let name, let known):
            return "unknown query parameter '\(name)'; this endpoint takes \(known.joined(separator: ", "))"
        case .invalidTime(let text):
            return "'\(text)' is not a time: use an RFC 3339 timestamp or a prefix of one down to the day "
                + "(2020-02-28, 2020-02-28T12, 2020-02-28T12:00, 2020-02-28T12:00:00Z) or a clock time HH:MM"
        case .invalidTarget:
            return "the request target is not a valid percent-encoded UTF-8 path"
        case .notFound(let detail):
            return detail
        case .notReady(let done, let total):
            return "the articles are still loading: \(done) of \(total) files read; ask again shortly"
        case .methodNotAllowed(let method, let allow):
            return "\(method) is not allowed here; allowed: \(allow)"
        }
    }

    /// The parameter at fault, as an extension member, so clients can point at the field.
    var parameter: String? {
        switch self {
        case .invalidParameter(let name, _), .unknownParameter(let name, _): return name
        default: return nil
        }
    }
}

/// The one builder of RFC 9457 problem bodies, for the routes' errors and the engine's.
public enum Problem {
    public static let contentType = "application/problem+json"

    static func response(for error: RoutesError) -> Response {
        var headers: [(name: String, value: String)] = []
        if case .methodNotAllowed(_, let allow) = error { headers.append(("Allow", allow)) }
        var response = response(status: error.status, detail: error.detail, parameter: error.parameter, headers: headers)
        response.cacheable = true
        return response
    }

    /// `type` is `about:blank`, so `title` is the status's reason phrase (RFC 9457 §4.2.1).
    /// `parameter`, when given, is an extension member naming the query parameter at fault.
    public static func response(status: Int, detail: String, parameter: String? = nil,
                                headers: [(name: String, value: String)] = []) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.field("type", "about:blank")
        json.field("title", ReasonPhrase.of(status))
        json.field("status", status)
        json.field("detail", detail)
        if let parameter { json.field("parameter", parameter) }
        json.endObject()
        return Response(status: status, headers: [("Content-Type", contentType)] + headers, body: json.bytes)
    }
}
