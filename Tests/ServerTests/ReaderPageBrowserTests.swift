import Foundation
import XCTest

/// The reader page as a browser runs it: headless Chromium loads `/` from the real server,
/// runs the page's script against the API, and the DOM it ends with is read back.
final class ReaderPageBrowserTests: XCTestCase {
    nonisolated(unsafe) static var server: LiveblogProcess?

    override class func setUp() {
        server = try? LiveblogProcess(articles: SharedCorpus.dev)
    }

    override class func tearDown() {
        _ = try? server?.stop()
        server = nil
    }

    /// Chromium as `scripts/require --test` installs it (Debian's `chromium`).
    static func chromium() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw Failure("this test needs headless Chromium: run scripts/require --test (apt-get install chromium)")
    }

    /// The DOM after the page's script has run: a virtual time budget lets its fetches
    /// finish before the dump (`/stream` aside, see `HeadlessChromium`).
    static func renderedDOM(_ url: String, budgetMilliseconds: Int = 5000) throws -> String {
        _ = try chromium()
        let (status, output) = try HeadlessChromium.renderedDOM(url, budgetMilliseconds: budgetMilliseconds)
        guard status == 0, let start = output.range(of: "<html") else {
            throw Failure("chromium exited \(status) without a DOM: \(output.suffix(2000))")
        }
        return String(output[start.lowerBound...])
    }

    /// `data-id` of each update the page shows, in page order.
    static func shownUpdateIDs(_ dom: String) -> [String] {
        dom.components(separatedBy: "data-id=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    func api(_ target: String) throws -> [String: Any] {
        guard let server = Self.server else { throw Failure("the server did not start on \(SharedCorpus.dev.path)") }
        return try XCTUnwrap(try server.connect().exchange("GET \(target) HTTP/1.1\r\nHost: test\r\n\r\n").json, target)
    }

    func testThePageShowsTheNewestHeadlinesFirstWithTheirArticlesJSONLD() throws {
        try SharedCorpus.require(SharedCorpus.dev)
        let server = try XCTUnwrap(Self.server)
        let dom = try Self.renderedDOM("http://127.0.0.1:\(server.port)/")
        let newest = try XCTUnwrap(try api("/updates?limit=30")["updates"] as? [[String: Any]])
        XCTAssertEqual(Self.shownUpdateIDs(dom), newest.compactMap { $0["id"] as? String }, "the first page, newest first")
        for update in newest.prefix(5) {
            let headline = try XCTUnwrap(update["headline"] as? String)
            XCTAssertTrue(dom.contains("<h2>\(Self.htmlEscaped(headline))</h2>"), headline)
        }
        XCTAssertTrue(dom.contains("46 updates, 30 shown"), "the summary counts what matches")
        XCTAssertEqual(dom.components(separatedBy: "<script type=\"application/ld+json\">").count - 1, 6)
        XCTAssertTrue(dom.contains("<blockquote>"), "quotes are shown")
        XCTAssertTrue(dom.contains("class=\"card tweet\""), "tweets are cards")
        XCTAssertTrue(dom.contains("<option value=\"000_4975006173e6d127\""), "the article picker lists the articles")
    }

    func testAnActorLinkFiltersTheUpdates() throws {
        try SharedCorpus.require(SharedCorpus.dev)
        let server = try XCTUnwrap(Self.server)
        let page = try Self.renderedDOM("http://127.0.0.1:\(server.port)/")
        XCTAssertTrue(page.contains("href=\"#actor=jens-stoltenberg\""), "actors are links that filter")
        let dom = try Self.renderedDOM("http://127.0.0.1:\(server.port)/#actor=jens-stoltenberg")
        let expected = try XCTUnwrap(try api("/updates?actor=jens-stoltenberg&limit=30")["updates"] as? [[String: Any]])
        XCTAssertEqual(expected.count, 2)
        XCTAssertEqual(Self.shownUpdateIDs(dom), expected.compactMap { $0["id"] as? String })
        XCTAssertTrue(dom.contains("Only updates naming <strong>Jens Stoltenberg</strong>"))
        let searched = try Self.renderedDOM("http://127.0.0.1:\(server.port)/#q=ceasefire%20idlib")
        XCTAssertEqual(Self.shownUpdateIDs(searched).count, 3, "the search box's words filter too")
    }

    static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
