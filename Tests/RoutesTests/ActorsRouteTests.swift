import XCTest
@testable import Routes
import Store

final class ActorsRouteTests: XCTestCase {
    func actors(_ target: String) -> [[String: Any]] {
        Fixtures.json(Fixtures.get(target))["actors"] as? [[String: Any]] ?? []
    }

    func testListsActorsMostMentionedFirstMergedAcrossArticles() throws {
        let list = actors("/actors")
        XCTAssertEqual(list.compactMap { $0["id"] as? String }, ["ruritania", "red-cross", "ana-varga"])
        let ruritania = try XCTUnwrap(list.first)
        XCTAssertEqual(ruritania["mentions"] as? Int, 4)
        XCTAssertEqual(ruritania["kind"] as? String, "country")
        XCTAssertEqual(ruritania["aliases"] as? [String], ["Ruritanian", "Strelsau"])
        XCTAssertEqual((ruritania["updates"] as? [String])?.count, 3)
        XCTAssertTrue(ruritania["affiliation"] is NSNull)
        XCTAssertNil(ruritania["quotes"], "lists leave quotes to the single-actor resource")
        XCTAssertEqual(Fixtures.json(Fixtures.get("/actors"))["total"] as? Int, 3)
    }

    func testFiltersByKindAndByNameOrAliasPrefix() {
        XCTAssertEqual(actors("/actors?kind=person").compactMap { $0["id"] as? String }, ["ana-varga"])
        XCTAssertEqual(actors("/actors?q=var").compactMap { $0["id"] as? String }, ["ana-varga"])
        XCTAssertEqual(actors("/actors?q=icr").compactMap { $0["id"] as? String }, ["red-cross"])
        XCTAssertEqual(Fixtures.get("/actors?kind=planet").status, 400)
    }

    func testPagesThroughActors() {
        var seen: [String] = []
        var target: String? = "/actors?limit=1"
        while let current = target, seen.count < 10 {
            let body = Fixtures.json(Fixtures.get(current))
            seen += (body["actors"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            target = body["next"] as? String
        }
        XCTAssertEqual(seen, ["ruritania", "red-cross", "ana-varga"])
    }

    func testOneActorHasItsQuotesAndUnknownIs404() throws {
        let response = Fixtures.get("/actors/ana-varga")
        XCTAssertEqual(response.status, 200)
        let actor = Fixtures.json(response)
        XCTAssertEqual(actor["name"] as? String, "Ana Varga")
        XCTAssertEqual(actor["roles"] as? [String], ["Transport Minister"])
        XCTAssertEqual(actor["affiliation"] as? String, "ruritania")
        let quotes = try XCTUnwrap(actor["quotes"] as? [[String: String]])
        XCTAssertEqual(quotes, [["update": "a1_harbour/2021-03-04T12:00:00Z", "text": "We will reopen the harbour soon"]])
        let missing = Fixtures.get("/actors/nobody")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(Fixtures.header(missing, "Content-Type"), "application/problem+json")
    }
}
