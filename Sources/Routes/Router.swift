import Store

/// Counters the server keeps, rendered by `GET /metrics`. The routes only format them.
public protocol MetricsSource: Sendable {
    /// Prometheus text exposition lines (`name{labels} value`), with their `# HELP`/`# TYPE`.
    func prometheusLines() -> [String]
}

/// Request -> response, as a pure function of one store snapshot.
/// PLACEHOLDER: the real routes replace this.
public final class Router: Sendable {
    public let store: Store
    let metrics: (any MetricsSource)?

    public init(store: Store, metrics: (any MetricsSource)? = nil) {
        self.store = store
        self.metrics = metrics
    }

    /// Answers any method: GET and HEAD get the same response (the server drops the body
    /// for HEAD); other methods get 405 with `Allow`, or 204 for OPTIONS.
    public func respond(to request: Request) -> Response {
        Response(status: 404)
    }
}
