import Foundation
import Store

/// The reader page at `/` for browsers, and its stylesheet and script: plain HTML, CSS and
/// JavaScript from the binary's resources. The script reads the JSON API and `/stream`;
/// the page carries each listed article's JSON-LD, for search engines that do not run it.
struct ReaderPage: Sendable {
    let articles: ArticlesRoute

    /// The assets the page loads, served at `/<name>`, and their media types.
    static let assetTypes = ["reader.css": "text/css; charset=utf-8", "reader.js": "text/javascript; charset=utf-8"]
    static var assetNames: Set<String> { Set(assetTypes.keys) }
    /// The page embeds the JSON-LD of this many articles, the newest: a page's size must
    /// not grow with the corpus.
    static let embeddedArticleLimit = 20
    /// Where the template takes the JSON-LD scripts.
    static let jsonLDMarker = Array("<!-- liveblog:json-ld -->".utf8)
    /// Scripts and styles only from this server; the JSON-LD blocks are data, not scripts.
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

    static let resources: [String: [UInt8]] = {
        var files: [String: [UInt8]] = [:]
        for name in ["index.html"] + assetTypes.keys {
            let url = Bundle.module.resourceURL?.appendingPathComponent("reader").appendingPathComponent(name)
            files[name] = url.flatMap { try? Data(contentsOf: $0) }.map(Array.init) ?? []
        }
        return files
    }()

    static func assetName(path: String) -> String? {
        let name = String(path.dropFirst())
        return path.hasPrefix("/") && assetTypes[name] != nil ? name : nil
    }

    func asset(named name: String) -> Response? {
        guard let type = Self.assetTypes[name], let body = Self.resources[name], !body.isEmpty else { return nil }
        return Response(status: 200, headers: [("Content-Type", type), ("ETag", Router.etag(body)),
                                               ("Cache-Control", Router.staticCacheControl)],
                        body: body, cacheable: true)
    }

    func page() -> Response {
        let template = Self.resources["index.html"] ?? []
        var scripts: [UInt8] = []
        for overview in articles.store.overviews.prefix(Self.embeddedArticleLimit) {
            scripts += Array("<script type=\"application/ld+json\">".utf8)
            scripts += Self.scriptSafe(LiveBlogPosting.encode(overview: overview, store: articles.store))
            scripts += Array("</script>\n".utf8)
        }
        var body = template
        if let marker = Self.range(of: Self.jsonLDMarker, in: template) {
            body.replaceSubrange(marker, with: scripts)
        }
        return Response(status: 200, headers: [
            ("Content-Type", "text/html; charset=utf-8"),
            ("ETag", Router.etag(body)),
            ("Cache-Control", "no-cache"),
            ("Content-Security-Policy", Self.contentSecurityPolicy),
        ], body: body, cacheable: true)
    }

    /// JSON inside a `<script>` element: `<` only occurs inside strings, where `\u003c`
    /// means the same, so no text can close the element early.
    static func scriptSafe(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count)
        for byte in json {
            if byte == UInt8(ascii: "<") { out += Array("\\u003c".utf8) } else { out.append(byte) }
        }
        return out
    }

    private static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start..<(start + needle.count)
        }
        return nil
    }
}
