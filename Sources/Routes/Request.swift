/// An HTTP request as the routes see it: method, decoded path and query, headers.
/// The server's parser produces it; nothing here knows about sockets.
public struct Request: Sendable {
    public var method: String
    /// The request-target as sent (origin-form: `/updates?limit=5`).
    public var target: String
    /// Header fields in arrival order; names as sent.
    public var headers: [(name: String, value: String)]

    public init(method: String, target: String, headers: [(name: String, value: String)] = []) {
        self.method = method
        self.target = target
        self.headers = headers
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
