/// The path templates of the routes (`/updates/{time}`), which `/metrics` labels requests
/// with: a label per raw path would grow without bound as clients invent paths.
///
/// A route added to the router gets its template here too; `RouteTemplateTests` checks that
/// every endpoint the index lists has one.
public enum RouteTemplate {
    /// Any path no route serves (a 404 from the router).
    public static let unmatched = "(unmatched)"

    /// Paths served as they are.
    static let fixed: Set<String> = ["/", "/updates", "/actors", "/healthz", "/readyz", "/metrics", "/openapi.yaml"]

    /// Paths with one variable segment after a fixed prefix, and the template they report.
    static let parameterized: [(prefix: String, template: String, allowsSlash: Bool)] = [
        ("/updates/", "/updates/{time}", false),
        ("/actors/", "/actors/{id}", true),
    ]

    /// Every template, in a fixed order: the label values `/metrics` can show.
    public static let all: [String] = fixed.sorted() + parameterized.map(\.template) + [unmatched]

    /// The template of a request target (origin or absolute form, query ignored).
    public static func of(target: String) -> String {
        guard let path = RequestTarget(target)?.path else { return unmatched }
        return of(path: path)
    }

    static func of(path: String) -> String {
        if fixed.contains(path) { return path }
        for route in parameterized where path.hasPrefix(route.prefix) {
            let rest = path.dropFirst(route.prefix.count)
            guard !rest.isEmpty, route.allowsSlash || !rest.contains("/") else { return unmatched }
            return route.template
        }
        return unmatched
    }
}
