import Foundation
import XCTest

/// What a browser app and its frontend developer depend on, over a real socket against the
/// dev corpus: compression per `Accept-Encoding`, a validator per encoding, CORS and
/// caching fields on every response, `Link`, `/articles` and the JSON-LD.
final class FrontendEndToEndTests: XCTestCase {
    nonisolated(unsafe) static var server: LiveblogProcess?

    override class func setUp() {
        server = try? LiveblogProcess(articles: SharedCorpus.dev)
    }

    override class func tearDown() {
        _ = try? server?.stop()
        server = nil
    }

    func request(_ target: String, method: String = "GET", headers: [String: String] = [:]) throws -> RawClient.Response {
        try SharedCorpus.require(SharedCorpus.dev)
        guard let server = Self.server else { throw Failure("the server did not start on \(SharedCorpus.dev.path)") }
        let fields = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        return try server.connect().exchange("\(method) \(target) HTTP/1.1\r\nHost: test\r\n\(fields)\r\n", toHEAD: method == "HEAD")
    }

    static let page = "/updates?limit=50"

    func testEachEncodingIsNegotiatedAndDecodesToTheIdentityBytes() throws {
        let identity = try request(Self.page)
        XCTAssertNil(identity.header("Content-Encoding"))
        XCTAssertEqual(identity.header("Vary"), "Accept-Encoding")
        let cases: [(String, String?)] = [
            ("gzip", "gzip"), ("br", "br"), ("gzip, deflate, br", "br"), ("br;q=0, gzip", "gzip"),
            ("gzip;q=0, br;q=0", nil), ("*", "br"), ("*;q=0.5, br;q=0", "gzip"), ("identity", nil), ("*;q=0", nil),
        ]
        for (field, expected) in cases {
            let response = try request(Self.page, headers: ["Accept-Encoding": field])
            XCTAssertEqual(response.status, 200, field)
            XCTAssertEqual(response.header("Content-Encoding"), expected, field)
            XCTAssertEqual(response.header("Vary"), "Accept-Encoding", field)
            XCTAssertEqual(Int(response.header("Content-Length") ?? ""), response.body.count, field)
            let decoded: [UInt8]
            switch expected {
            case "gzip": decoded = try Decompression.gunzip(response.body)
            case "br": decoded = try Decompression.unbrotli(response.body, expectedSize: identity.body.count)
            default: decoded = response.body
            }
            XCTAssertEqual(decoded, identity.body, field)
            if expected != nil { XCTAssertLessThan(response.body.count, identity.body.count / 2, field) }
        }
    }

    func testEachEncodingHasItsOwnETagAnd304AndHeadMatchesGet() throws {
        var tags: [String: String] = [:]
        for coding in ["identity", "gzip", "br"] {
            let get = try request(Self.page, headers: ["Accept-Encoding": coding])
            let tag = try XCTUnwrap(get.header("ETag"), coding)
            XCTAssertTrue(tag.hasPrefix("\"") && tag.hasSuffix("\""), "strong: \(tag)")
            tags[coding] = tag
            let head = try request(Self.page, method: "HEAD", headers: ["Accept-Encoding": coding])
            for name in ["ETag", "Content-Length", "Content-Encoding", "Vary", "Content-Type", "Cache-Control"] {
                XCTAssertEqual(head.header(name), get.header(name), "HEAD \(coding) \(name)")
            }
            let revalidated = try request(Self.page, headers: ["Accept-Encoding": coding, "If-None-Match": tag])
            XCTAssertEqual(revalidated.status, 304, coding)
            XCTAssertEqual(revalidated.header("ETag"), tag, coding)
            XCTAssertEqual(revalidated.header("Vary"), "Accept-Encoding", coding)
            XCTAssertEqual(revalidated.header("Cache-Control"), "no-cache", coding)
            XCTAssertNil(revalidated.header("Content-Length"))
            XCTAssertEqual(try request(Self.page, method: "HEAD", headers: ["Accept-Encoding": coding, "If-None-Match": tag]).status, 304)
            XCTAssertEqual(try request(Self.page, headers: ["Accept-Encoding": coding, "If-None-Match": "W/\(tag)"]).status, 304,
                           "If-None-Match compares weakly")
        }
        XCTAssertEqual(Set(tags.values).count, 3, "\(tags)")
        // Another encoding's tag names another representation: the full body comes back.
        let crossed = try request(Self.page, headers: ["Accept-Encoding": "gzip", "If-None-Match": tags["br"]! + ", " + tags["identity"]!])
        XCTAssertEqual(crossed.status, 200)
        XCTAssertEqual(crossed.header("Content-Encoding"), "gzip")
        XCTAssertEqual(try request(Self.page, headers: ["Accept-Encoding": "br", "If-None-Match": "*"]).status, 304)
    }

    func testSmallBodiesAndUncacheableAnswersStayUncompressed() throws {
        let small = try request("/healthz", headers: ["Accept-Encoding": "gzip, br"])
        XCTAssertNil(small.header("Content-Encoding"))
        XCTAssertNil(small.header("Vary"))
        XCTAssertEqual(small.json?["status"] as? String, "ok")
        let metrics = try request("/metrics", headers: ["Accept-Encoding": "gzip"])
        XCTAssertNil(metrics.header("Content-Encoding"), "counted anew each time: never compressed per request")
    }

    func testEveryResponseCarriesCORSAndCacheControlErrorsAnd304sIncluded() throws {
        let ok = try request("/updates?limit=2")
        let tag = try XCTUnwrap(ok.header("ETag"))
        let answers: [(String, RawClient.Response)] = [
            ("200", ok),
            ("304", try request("/updates?limit=2", headers: ["If-None-Match": tag])),
            ("400", try request("/updates?limit=0")),
            ("404", try request("/nowhere")),
            ("405", try request("/updates", method: "DELETE")),
            ("engine 400", try server().connect().exchange("GET /updates HTTP/1.1\r\n\r\n")),
            ("204", try request("/updates", method: "OPTIONS", headers: ["Origin": "https://app.example",
                                                                  "Access-Control-Request-Method": "GET",
                                                                  "Access-Control-Request-Headers": "if-none-match"])),
        ]
        for (label, response) in answers {
            XCTAssertEqual(String(response.status), label.split(separator: " ").last.map(String.init), label)
            XCTAssertEqual(response.header("Access-Control-Allow-Origin"), "*", label)
            XCTAssertEqual(response.header("Access-Control-Expose-Headers"), "ETag, Link", label)
            XCTAssertNotNil(response.header("Cache-Control"), label)
        }
        let preflight = answers.last!.1
        XCTAssertEqual(preflight.header("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS")
        XCTAssertTrue(preflight.header("Access-Control-Allow-Headers")?.lowercased().contains("if-none-match") == true)
        XCTAssertEqual(try request("/nowhere", method: "OPTIONS").status, 404, "no preflight for a path with nothing")
        XCTAssertEqual(try request("/openapi.yaml").header("Cache-Control"), "max-age=3600")
    }

    func testPagesCarryLinkBesideNext() throws {
        var target: String? = "/articles?limit=4"
        var ids: [String] = []
        while let current = target {
            let response = try request(current)
            let json = try XCTUnwrap(response.json)
            ids += (json["articles"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            target = json["next"] as? String
            XCTAssertEqual(response.header("Link"), target.map { "<\($0)>; rel=\"next\"" }, current)
        }
        XCTAssertEqual(ids.count, 6)
        XCTAssertEqual(Set(ids).count, 6)
        let updates = try request("/updates?limit=3&actor=turkey")
        let next = try XCTUnwrap(updates.json?["next"] as? String)
        XCTAssertEqual(updates.header("Link"), "<\(next)>; rel=\"next\"")
    }

    func testArticlesNewestFirstWithFilters() throws {
        let list = try XCTUnwrap(try request("/articles").json)
        XCTAssertEqual(list["total"] as? Int, 6)
        let articles = try XCTUnwrap(list["articles"] as? [[String: Any]])
        let lasts = articles.compactMap { $0["last_update"] as? String }
        XCTAssertEqual(lasts, lasts.sorted(by: >), "newest first")
        XCTAssertEqual(articles.compactMap { $0["update_count"] as? Int }.reduce(0, +), 46)
        let first = try XCTUnwrap(articles.first { $0["id"] as? String == "000_4975006173e6d127" })
        XCTAssertTrue((first["title"] as? String)?.hasPrefix("Dozens of Turkish troops have been killed") == true)
        XCTAssertTrue((first["actors"] as? [String])?.contains("turkey") == true)
        XCTAssertEqual(first["updates"] as? String, "/updates?article=000_4975006173e6d127")
        func ids(_ target: String) throws -> [String] {
            (try request(target).json?["articles"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        XCTAssertEqual(try ids("/articles?q=coronavirus").sorted(), ["002_e2efe1d9d5ddc1f6", "005_ab72149043d05d70"])
        XCTAssertEqual(try ids("/articles?since=2020-02-28&until=2020-02-28"), ["000_4975006173e6d127"])
        XCTAssertEqual(try request("/articles?since=nope").json?["parameter"] as? String, "since")
        XCTAssertEqual(try request("/articles/000_4975006173e6d127").json?["update_count"] as? Int, 3)
        XCTAssertEqual(try request("/articles/nope").status, 404)
    }

    func testTheJSONLDIsALiveBlogPostingWithEveryUpdate() throws {
        for article in try XCTUnwrap(try request("/articles").json?["articles"] as? [[String: Any]]) {
            let id = try XCTUnwrap(article["id"] as? String)
            let response = try request("/articles/\(id)", headers: ["Accept": "application/ld+json", "Accept-Encoding": "gzip"])
            XCTAssertEqual(response.header("Content-Type"), "application/ld+json", id)
            XCTAssertEqual(response.header("Vary"), "Accept, Accept-Encoding", id)
            let body = response.header("Content-Encoding") == "gzip" ? try Decompression.gunzip(response.body) : response.body
            let posting = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], id)
            XCTAssertEqual(posting["@context"] as? String, "https://schema.org")
            XCTAssertEqual(posting["@type"] as? String, "LiveBlogPosting")
            XCTAssertEqual(posting["coverageStartTime"] as? String, article["first_update"] as? String)
            XCTAssertEqual(posting["coverageEndTime"] as? String, article["last_update"] as? String)
            let updates = try XCTUnwrap(posting["liveBlogUpdate"] as? [[String: Any]])
            XCTAssertEqual(updates.count, article["update_count"] as? Int, id)
            XCTAssertTrue(updates.allSatisfy { $0["@type"] as? String == "BlogPosting" && $0["headline"] is String
                    && $0["datePublished"] is String && $0["articleBody"] is String }, id)
            let mentionTypes = Set((posting["mentions"] as? [[String: Any]] ?? []).compactMap { $0["@type"] as? String })
            XCTAssertTrue(mentionTypes.isSubset(of: ["Person", "Organization", "Country"]), "\(mentionTypes)")
        }
    }

    func testRootServesThePageToBrowsersAndTheIndexToOthers() throws {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        let page = try request("/", headers: ["Accept": browser, "Accept-Encoding": "br"])
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertEqual(page.header("Vary"), "Accept, Accept-Encoding")
        let html = String(decoding: try Decompression.unbrotli(page.body, expectedSize: 4 * 1024 * 1024), as: UTF8.self)
        XCTAssertEqual(html.components(separatedBy: "<script type=\"application/ld+json\">").count - 1, 6)
        // The same target for a script: the JSON index, not the cached page.
        let index = try request("/", headers: ["Accept": "application/json"])
        XCTAssertEqual(index.header("Content-Type"), "application/json")
        XCTAssertNotNil(index.json?["endpoints"])
        XCTAssertEqual(try request("/").header("Content-Type"), "application/json")
        XCTAssertEqual(try request("/", headers: ["Accept": browser]).header("Content-Type"), "text/html; charset=utf-8")
    }

    private func server() throws -> LiveblogProcess {
        guard let server = Self.server else { throw Failure("the server did not start") }
        return server
    }
}
