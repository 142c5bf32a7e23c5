import Store

/// Request -> response, as a pure function of one store snapshot.
/// PLACEHOLDER: the real routes replace this.
public final class Router: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func respond(to request: Request) -> Response {
        Response(status: 404)
    }
}
