import XCTest
@testable import Routes
import Store

final class ArticlesRouteTests: XCTestCase {
    func articles(_ target: String) -> [[String: Any]] {
        Fixtures.json(Fixtures.get(target))["articles"] as? [[String: Any]] ?? []
    }

    func testArticlesNewestFirstWithTheContractsFields() throws {
        let list = Fixtures.json(Fixtures.get("/articles"))
        XCTAssertEqual(list["total"] as? Int, 2)
        let items = try XCTUnwrap(list["articles"] as? [[String: Any]])
        // Both end at 12:00 on the 4th: the tie goes by id.
        XCTAssertEqual(items.map { $0["id"] as? String }, ["a1_harbour", "a2_summit"])
        let harbour = items[0]
        XCTAssertEqual(harbour["title"] as? String, "Storms hit the coast.")
        XCTAssertEqual(harbour["date"] as? String, "2021-03-04")
        XCTAssertEqual(harbour["lede"] as? [String], ["Storms hit the coast."])
        XCTAssertEqual(harbour["first_update"] as? String, "2021-03-03T23:55:00Z")
        XCTAssertEqual(harbour["last_update"] as? String, "2021-03-04T12:00:00Z")
        XCTAssertEqual(harbour["update_count"] as? Int, 3)
        XCTAssertEqual(harbour["actors"] as? [String], ["ruritania", "red-cross", "ana-varga"], "most mentioned first")
        XCTAssertEqual(harbour["updates"] as? String, "/updates?article=a1_harbour")
        XCTAssertEqual(items[1]["title"] as? String, "Summit opens with a minute of silence", "no lede: the newest headline")
    }

    func testArticlesPageThroughCursorsAndFilter() throws {
        let first = Fixtures.json(Fixtures.get("/articles?limit=1"))
        let next = try XCTUnwrap(first["next"] as? String)
        let second = Fixtures.json(Fixtures.get(next))
        XCTAssertEqual((second["articles"] as? [[String: Any]])?.map { $0["id"] as? String }, ["a2_summit"])
        XCTAssertTrue(second["next"] is NSNull)
        XCTAssertEqual(articles("/articles?q=SILENCE").map { $0["id"] as? String }, ["a2_summit"], "a headline's word")
        XCTAssertEqual(articles("/articles?q=storms").map { $0["id"] as? String }, ["a1_harbour"], "a lede's word")
        XCTAssertEqual(articles("/articles?q=ferries").count, 0, "body words are not the article's")
        XCTAssertEqual(articles("/articles?until=2021-03-04T08:00").map { $0["id"] as? String }, ["a1_harbour"])
        XCTAssertEqual(articles("/articles?since=2021-03-04T08:15").count, 2)
        XCTAssertEqual(articles("/articles?since=2021-03-05").count, 0)
        XCTAssertEqual(Fixtures.get("/articles?kind=person").status, 400)
        XCTAssertEqual(Fixtures.get("/articles?cursor=" + (Cursor.actor(mentions: 1, name: "x", id: "x").encoded)).status, 400)
    }

    func testOneArticleAsJSONOrAsLiveBlogPosting() throws {
        let plain = Fixtures.get("/articles/a1_harbour")
        XCTAssertEqual(Fixtures.header(plain, "Content-Type"), "application/json")
        XCTAssertEqual(Fixtures.json(plain)["update_count"] as? Int, 3)
        XCTAssertEqual(Fixtures.get("/articles/nope").status, 404)
        let linked = Fixtures.get("/articles/a1_harbour", headers: [("Accept", "application/ld+json")])
        XCTAssertEqual(Fixtures.header(linked, "Content-Type"), "application/ld+json")
        XCTAssertEqual(Fixtures.header(linked, "Vary"), "Accept")
        XCTAssertNotEqual(Fixtures.header(linked, "ETag"), Fixtures.header(plain, "ETag"))
        let posting = Fixtures.json(linked)
        XCTAssertEqual(posting["@context"] as? String, "https://schema.org")
        XCTAssertEqual(posting["@type"] as? String, "LiveBlogPosting")
        XCTAssertEqual(posting["coverageStartTime"] as? String, "2021-03-03T23:55:00Z")
        XCTAssertEqual(posting["coverageEndTime"] as? String, "2021-03-04T12:00:00Z")
        let updates = try XCTUnwrap(posting["liveBlogUpdate"] as? [[String: Any]])
        XCTAssertEqual(updates.count, 3)
        XCTAssertTrue(updates.allSatisfy { $0["@type"] as? String == "BlogPosting" })
        XCTAssertEqual(updates[0]["headline"] as? String, "Ministers meet in the port city")
        XCTAssertEqual(updates[0]["datePublished"] as? String, "2021-03-04T12:00:00Z")
        XCTAssertTrue((updates[0]["articleBody"] as? String)?.hasPrefix("The Ruritanian government") == true)
        let parts = try XCTUnwrap(updates[0]["hasPart"] as? [[String: Any]])
        let quote = try XCTUnwrap(parts.first { $0["@type"] as? String == "Quotation" })
        XCTAssertEqual(quote["text"] as? String, "We will reopen the harbour soon")
        XCTAssertEqual((quote["creator"] as? [String: Any])?["@type"] as? String, "Person")
        XCTAssertEqual((parts.first { $0["@type"] as? String == "VideoObject" })?["duration"] as? String, "PT1M35S")
        let mentions = try XCTUnwrap(posting["mentions"] as? [[String: Any]])
        XCTAssertEqual(mentions.map { $0["@type"] as? String }, ["Country", "Organization", "Person"])
        // A browser's Accept prefers neither: the plain JSON.
        let either = Fixtures.get("/articles/a1_harbour", headers: [("Accept", "*/*")])
        XCTAssertEqual(Fixtures.header(either, "Content-Type"), "application/json")
    }

    func testMediaRangesRankByTheMostSpecificMatch() {
        let ranges = MediaRange.list("text/*;q=0.3, text/html;q=0.7, */*;q=0.1, bad, application/json;q=2")
        XCTAssertEqual(MediaRange.quality(of: "text/html", in: ranges), 700)
        XCTAssertEqual(MediaRange.quality(of: "text/plain", in: ranges), 300)
        XCTAssertEqual(MediaRange.quality(of: "application/json", in: ranges), 100, "q=2 is malformed: left out")
        XCTAssertEqual(MediaRange.quality(of: "image/png", in: MediaRange.list("text/html")), 0)
        XCTAssertFalse(MediaRange.prefers("text/html", over: "application/json", in: []))
    }
}
