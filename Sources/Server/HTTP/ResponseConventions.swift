/// The fields every response carries, errors and 304s included, whoever made it (the routes
/// or the engine): a browser app on another origin can read every answer, its problem
/// details and its `ETag` and `Link`, and a cache knows what it may keep.
enum ResponseConventions {
    static let allowOrigin = (name: "Access-Control-Allow-Origin", value: "*")
    static let exposeHeaders = (name: "Access-Control-Expose-Headers", value: "ETag, Link")
    /// A response that says nothing of caching is revalidated each time: the data is live.
    static let defaultCacheControl = (name: "Cache-Control", value: "no-cache")

    static func complete(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var headers = headers
        for field in [allowOrigin, exposeHeaders, defaultCacheControl]
        where !headers.contains(where: { $0.name.lowercased() == field.name.lowercased() }) {
            headers.append(field)
        }
        return headers
    }
}
