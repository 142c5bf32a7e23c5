import XCTest
@testable import Store

final class StoreIndexTests: XCTestCase {
    private func update(_ article: String, _ time: String, actors: [String] = [], body: String = "") -> Update {
        Update(id: "\(article)/\(time)", time: Instant(rfc3339: time)!, article: article, headline: "At \(time)",
               body: body.isEmpty ? [] : [body], actors: actors)
    }

    private lazy var store = Store(articles: [
        Article(id: "b", date: "2022-05-01", lede: [], updates: [
            update("b", "2022-05-01T10:00:00Z", actors: ["x"], body: "Ferries sail again"),
            update("b", "2022-04-30T22:00:00Z", actors: ["x", "y"]),
        ], actors: [ActorRecord(id: "x", name: "Xland", kind: .country, aliases: ["Xish"], mentions: 2),
                    ActorRecord(id: "y", name: "Yo Yang", kind: .person, roles: ["Mayor"], mentions: 1)]),
        Article(id: "a", date: "2022-05-01", lede: [], updates: [
            update("a", "2022-05-01T10:00:00Z", actors: ["y"], body: "Mayor Yang speaks about the FERRY"),
            update("a", "2022-05-01T08:00:00Z"),
        ], actors: [ActorRecord(id: "y", name: "Yo Yang", kind: .person, aliases: ["Yang"], roles: ["Mayor", "Envoy"],
                                affiliation: "x", mentions: 3)]),
    ])

    func testOrdersNewestFirstThenByArticleAndId() {
        XCTAssertEqual(store.updates.map(\.id), [
            "a/2022-05-01T10:00:00Z", "b/2022-05-01T10:00:00Z", "a/2022-05-01T08:00:00Z", "b/2022-04-30T22:00:00Z",
        ])
    }

    func testMergesActorsAcrossArticles() throws {
        let yang = try XCTUnwrap(store.actor(id: "y"))
        XCTAssertEqual(yang.mentions, 4)
        XCTAssertEqual(yang.aliases, ["Yang"])
        XCTAssertEqual(yang.roles, ["Mayor", "Envoy"])
        XCTAssertEqual(yang.affiliation, "x")
        XCTAssertEqual(yang.updates, ["a/2022-05-01T10:00:00Z", "b/2022-04-30T22:00:00Z"])
        XCTAssertEqual(store.actors.map(\.id), ["y", "x"], "most mentioned first")
    }

    func testSelectsByInclusiveTimeBounds() {
        let ten = Instant(rfc3339: "2022-05-01T10:00:00Z")!
        let eight = Instant(rfc3339: "2022-05-01T08:00:00Z")!
        XCTAssertEqual(store.select(UpdateFilter(since: eight)), [0, 1, 2])
        XCTAssertEqual(store.select(UpdateFilter(until: eight)), [2, 3])
        XCTAssertEqual(store.select(UpdateFilter(since: eight, until: ten)), [0, 1, 2])
        XCTAssertEqual(store.select(UpdateFilter(since: ten.adding(seconds: 1))), [])
    }

    func testSelectsByActorsArticleWordsAndMinute() {
        XCTAssertEqual(store.select(UpdateFilter(actors: ["x", "y"])), [3])
        XCTAssertEqual(store.select(UpdateFilter(actors: ["y"], article: "a")), [0])
        XCTAssertEqual(store.select(UpdateFilter(words: ["ferry"])), [0], "whole words, not prefixes")
        XCTAssertEqual(store.select(UpdateFilter(words: ["FERRIES", "sail"])), [1])
        XCTAssertEqual(store.select(UpdateFilter(minuteOfDay: 22 * 60)), [3])
        XCTAssertEqual(store.select(UpdateFilter(actors: ["nobody"])), [])
    }
}
