import Routes

/// The label values the request metrics can take, each a short closed list, and the slot
/// each value has in a loop's counter table: what a client sends can never add a series.
enum MetricLabels {
    /// The server's own answers to requests no route saw (malformed, timed out, `*`).
    static let engineRoute = "(none)"
    static let routes = RouteTemplate.all + [engineRoute]
    private static let routeSlots = Dictionary(uniqueKeysWithValues: routes.enumerated().map { ($1, $0) })

    static func routeSlot(_ route: String?) -> Int {
        route.flatMap { routeSlots[$0] } ?? routeSlots[engineRoute]!
    }

    /// RFC 9110's methods; any other token counts as `other`.
    static let methods = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "CONNECT", "TRACE", "other"]
    static let otherMethod = methods.count - 1
    private static let methodBytes = methods.dropLast().map { Array($0.utf8) }

    static func methodSlot(_ method: UnsafeRawBufferPointer) -> Int {
        methodBytes.firstIndex { $0.count == method.count && method.elementsEqual($0) } ?? otherMethod
    }

    /// Statuses the server sends get a value of their own; any other is counted under its
    /// class (`5xx`), so that the list stays closed.
    static let namedStatuses = [100, 200, 204, 206, 301, 302, 304, 307, 308, 400, 401, 403, 404, 405, 406, 408,
                                409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 428, 429, 431,
                                500, 501, 502, 503, 504, 505]
    static let statuses = namedStatuses.map(String.init) + ["1xx", "2xx", "3xx", "4xx", "5xx"]
    private static let statusSlots = Dictionary(uniqueKeysWithValues: namedStatuses.enumerated().map { ($1, $0) })

    static func statusSlot(_ status: Int) -> Int {
        if let slot = statusSlots[status] { return slot }
        return namedStatuses.count + min(max(status / 100, 1), 5) - 1
    }

    /// Upper bounds (seconds) of the request latency histogram: from a cached page (a few
    /// microseconds) to a page of 500 updates built cold.
    static let latencyBounds: [Double] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                          0.05, 0.1, 0.25, 0.5, 1, 2.5]
    static let latencyBoundsNanoseconds = latencyBounds.map { Int(($0 * 1e9).rounded()) }
}
