/// An HTTP response as the routes build it. The server adds the connection-level fields
/// (`Date`, `Content-Length`, `Connection`) when it writes it.
public struct Response: Sendable {
    public var status: Int
    /// Fields other than the connection-level ones, in the order to send them.
    public var headers: [(name: String, value: String)]
    /// The encoded body. Arrays share storage, so a cached body is never copied per request.
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
