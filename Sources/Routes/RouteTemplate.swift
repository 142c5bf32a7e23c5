/// The path templates of the routes (`/updates/{time}`), which `/metrics` labels requests
/// with: a label per raw path would grow without bound as clients invent paths.
///
/// Made from the router's own list of what it serves (`Router.fixedPaths`, `itemPrefixes`,
/// the reader's assets), so a route added there has its template here.
public enum RouteTemplate {
    /// Any path no route serves (a 404 from the router).
    public static let unmatched = "(unmatched)"

    /// What the variable segment after an item prefix is called; `{id}` unless named here.
    static let segmentNames = ["/updates/": "{time}"]

    static func template(prefix: String) -> String { prefix + (segmentNames[prefix] ?? "{id}") }

    /// Every template, in a fixed order: the label values `/metrics` can show.
    public static let all: [String] = Router.fixedPaths.sorted() + ReaderPage.assetNames.sorted().map { "/" + $0 }
        + Router.itemPrefixes.map(template(prefix:)) + [unmatched]

    /// The template of a request target (origin or absolute form, query ignored).
    public static func of(target: String) -> String {
        guard let path = RequestTarget(target)?.path else { return unmatched }
        return of(path: path)
    }

    static func of(path: String) -> String {
        if Router.fixedPaths.contains(path) || ReaderPage.assetName(path: path) != nil { return path }
        for prefix in Router.itemPrefixes where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            return rest.isEmpty || rest.contains("/") ? unmatched : template(prefix: prefix)
        }
        return unmatched
    }
}
