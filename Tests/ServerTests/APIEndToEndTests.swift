import Foundation
import XCTest

/// Each endpoint of the contract over a real socket, against the dev corpus.
final class APIEndToEndTests: XCTestCase {
    nonisolated(unsafe) static var server: LiveblogProcess?

    override class func setUp() {
        server = try? LiveblogProcess(articles: SharedCorpus.dev)
    }

    override class func tearDown() {
        _ = try? server?.stop()
        server = nil
    }

    func get(_ target: String, headers: String = "") throws -> RawClient.Response {
        guard let server = Self.server else {
            throw Failure("the server did not start on \(SharedCorpus.dev.path)")
        }
        return try server.connect().exchange("GET \(target) HTTP/1.1\r\nHost: test\r\n\(headers)\r\n")
    }

    func testUpdatesPageThroughTheNextLinksWithoutGapsOrRepeats() throws {
        var ids: [String] = []
        var target: String? = "/updates?limit=7"
        var pages = 0
        var total: Int?
        while let current = target, pages < 20 {
            let response = try get(current)
            XCTAssertEqual(response.status, 200, current)
            XCTAssertEqual(response.header("Content-Type"), "application/json")
            let json = try XCTUnwrap(response.json)
            total = json["total"] as? Int
            ids += (json["updates"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            target = json["next"] as? String
            pages += 1
        }
        XCTAssertEqual(total, 46)
        XCTAssertEqual(pages, 7)
        XCTAssertEqual(ids.count, 46)
        XCTAssertEqual(Set(ids).count, 46)
        let times = ids.map { String($0.split(separator: "/")[1]) }
        XCTAssertEqual(times, times.sorted(by: >), "newest first")
    }

    func testUpdateShapeFollowsTheContract() throws {
        let response = try get("/updates/2020-02-28T12:00")
        let update = try XCTUnwrap((response.json?["updates"] as? [[String: Any]])?.first)
        XCTAssertEqual(update["id"] as? String, "000_4975006173e6d127/2020-02-28T12:00:00Z")
        XCTAssertEqual(update["time"] as? String, "2020-02-28T12:00:00Z")
        XCTAssertEqual(update["article"] as? String, "000_4975006173e6d127")
        XCTAssertEqual(update["headline"] as? String, "NATO calls Russia and Syria to 'stop indiscriminate attacks'")
        XCTAssertEqual((update["body"] as? [String])?.count, 3)
        let actors = update["actors"] as? [String] ?? []
        for id in ["nato", "russia", "syria", "jens-stoltenberg"] { XCTAssertTrue(actors.contains(id), "\(id) in \(actors)") }
        let quotes = update["quotes"] as? [[String: String]] ?? []
        XCTAssertEqual(quotes.first?["actor"], "jens-stoltenberg")
        let tweet = try XCTUnwrap((update["embeds"] as? [[String: Any]])?.first)
        XCTAssertEqual(tweet["kind"] as? String, "tweet")
        XCTAssertEqual(tweet["handle"] as? String, "@jensstoltenberg")
        XCTAssertEqual(tweet["links"] as? [String], ["https://t.co/TxBqHO5NVF", "pic.twitter.com/XCatlnyB9k"])
    }

    func testFiltersCombine() throws {
        func total(_ target: String) throws -> Int? { try get(target).json?["total"] as? Int }
        XCTAssertEqual(try total("/updates?article=000_4975006173e6d127"), 3)
        XCTAssertEqual(try total("/updates?since=2020-03-05T19&until=2020-03-06"), 4)
        XCTAssertEqual(try total("/updates?actor=jens-stoltenberg"), 2)
        XCTAssertEqual(try total("/updates?actor=turkey&actor=russia&article=001_3aee8162e42c196e"), 5)
        XCTAssertEqual(try total("/updates?q=CEASEFIRE%20idlib"), 3)
        XCTAssertEqual(try total("/updates?q=erdogan"), 4, "accent-insensitive: Erdoğan and Erdogan")
        XCTAssertEqual(try total("/updates/00:05"), 1)
        XCTAssertEqual(try total("/updates/2020-01-30?order=asc&limit=1"), 5)
        XCTAssertEqual((try get("/updates/2020-01-30?order=asc&limit=1").json?["updates"] as? [[String: Any]])?.first?["time"]
            as? String, "2020-01-30T06:45:00Z")
    }

    func testActorsAreListedMostMentionedFirstAndResolvable() throws {
        let list = try XCTUnwrap(try get("/actors?limit=500").json)
        let actors = try XCTUnwrap(list["actors"] as? [[String: Any]])
        XCTAssertEqual(list["total"] as? Int, actors.count)
        let mentions = actors.compactMap { $0["mentions"] as? Int }
        XCTAssertEqual(mentions, mentions.sorted(by: >))
        XCTAssertEqual(actors.first?["id"] as? String, "turkey")
        let people = try XCTUnwrap(try get("/actors?kind=person&limit=500").json?["actors"] as? [[String: Any]])
        XCTAssertTrue(people.allSatisfy { $0["kind"] as? String == "person" })
        let stoltenberg = try XCTUnwrap(try get("/actors/jens-stoltenberg").json)
        XCTAssertEqual(stoltenberg["name"] as? String, "Jens Stoltenberg")
        XCTAssertEqual(stoltenberg["affiliation"] as? String, "nato")
        XCTAssertTrue((stoltenberg["aliases"] as? [String] ?? []).contains("@jensstoltenberg"))
        XCTAssertTrue((stoltenberg["roles"] as? [String] ?? []).contains("NATO Secretary General"))
        XCTAssertEqual((stoltenberg["quotes"] as? [[String: String]])?.count, 4)
        XCTAssertEqual(try get("/actors?q=stolt").json?["total"] as? Int, 1)
    }

    func testProblemsNameWhatWasWrong() throws {
        let badLimit = try get("/updates?limit=0")
        XCTAssertEqual(badLimit.status, 400)
        XCTAssertEqual(badLimit.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(badLimit.json?["parameter"] as? String, "limit")
        XCTAssertEqual(try get("/updates/someday").status, 400)
        XCTAssertEqual(try get("/updates/1999-01-01").status, 404)
        XCTAssertEqual(try get("/actors/nobody-at-all").status, 404)
        let post = try Self.server!.connect().exchange("POST /updates HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.header("Allow"), "GET, HEAD, OPTIONS")
    }

    func testConditionalGetAndOperationalEndpoints() throws {
        let first = try get("/updates?limit=5")
        let etag = try XCTUnwrap(first.header("ETag"))
        XCTAssertEqual(try get("/updates?limit=5", headers: "If-None-Match: \(etag)\r\n").status, 304)
        XCTAssertEqual(try get("/healthz").status, 200)
        XCTAssertEqual(try get("/readyz").json?["updates"] as? Int, 46)
        let spec = try get("/openapi.yaml")
        XCTAssertEqual(spec.header("Content-Type"), "application/yaml")
        XCTAssertTrue(spec.text.hasPrefix("openapi: 3.1"))
        let metrics = try get("/metrics")
        XCTAssertTrue(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        XCTAssertTrue(metrics.text.contains("liveblog_updates 46"))
    }
}
