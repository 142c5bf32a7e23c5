import XCTest
@testable import Store

final class ArticleOverviewTests: XCTestCase {
    func testTheTitleIsTheLedesFirstSentenceWithoutStoppingAtAbbreviations() {
        XCTAssertEqual(ArticleOverview.firstSentence(of: "Dr. Ana Varga met U.S. envoys in the port. Talks went on."),
                       "Dr. Ana Varga met U.S. envoys in the port.")
        XCTAssertEqual(ArticleOverview.firstSentence(of: "Is the harbour open? Nobody knows."), "Is the harbour open?")
        XCTAssertEqual(ArticleOverview.firstSentence(of: "No full stop at all"), "No full stop at all")
        XCTAssertEqual(ArticleOverview.firstSentence(of: "Prices rose 2.5 percent. Then fell."), "Prices rose 2.5 percent.")
        XCTAssertNil(ArticleOverview.firstSentence(of: ""))
    }

    func testSpanCountAndTheMostMentionedActorsBounded() {
        let records = (0..<30).map { ActorRecord(id: "a\($0)", name: "A \($0)", kind: .person, mentions: $0) }
        let early = Update(id: "x/1", time: Instant(secondsSinceEpoch: 100), article: "x", headline: "Early news", body: [])
        let late = Update(id: "x/2", time: Instant(secondsSinceEpoch: 900), article: "x", headline: "Late news", body: [])
        let overview = ArticleOverview(article: Article(id: "x", date: "2021-01", lede: [], updates: [late, early], actors: records))
        XCTAssertEqual(overview.title, "Late news")
        XCTAssertEqual(overview.firstUpdate, Instant(secondsSinceEpoch: 100))
        XCTAssertEqual(overview.lastUpdate, Instant(secondsSinceEpoch: 900))
        XCTAssertEqual(overview.updateCount, 2)
        XCTAssertEqual(overview.actors.count, ArticleOverview.actorLimit)
        XCTAssertEqual(overview.actors.first, "a29")
        XCTAssertTrue(overview.contains(words: ["EARLY", "news"]))
        XCTAssertFalse(overview.contains(words: ["early", "sport"]))
        let empty = ArticleOverview(article: Article(id: "y", date: "2021-01", lede: [], updates: [], actors: []))
        XCTAssertNil(empty.lastUpdate)
        XCTAssertTrue(ArticleOverview.listedBefore(overview, empty), "an article without updates lists last")
    }
}
