/// An HTTP response as the routes build it. The server adds the connection-level fields
/// (`Date`, `Content-Length`, `Connection`) when it writes it.
public struct Response: Sendable {
    public var status: Int
    /// Fields other than the connection-level ones, in the order to send them.
    public var headers: [(name: String, value: String)]
    /// The encoded body. Arrays share storage, so a cached body is never copied per request.
    public var body: [UInt8]
    /// True when this response depends only on the request's method class (GET/HEAD) and
    /// target and on the store: the server may keep its encoded bytes and send them again
    /// for the same target until the router is replaced (a reload).
    public var cacheable: Bool
    /// The template of the route that answered (`/updates/{time}`, `RouteTemplate`), set by
    /// the router for `/metrics`; nil on a response the server made itself.
    public var route: String?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                cacheable: Bool = false, route: String? = nil) {
        self.status = status
        self.route = route
        self.headers = headers
        self.body = body
        self.cacheable = cacheable
    }
}
