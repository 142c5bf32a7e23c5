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

    private func ids(_ filter: UpdateFilter = UpdateFilter(), in store: Store? = nil) -> [String] {
        (store ?? self.store).page(filter, limit: 500).updates.map(\.id)
    }

    func testOrdersNewestFirstThenByArticleAndId() {
        XCTAssertEqual(ids(), [
            "a/2022-05-01T10:00:00Z", "b/2022-05-01T10:00:00Z", "a/2022-05-01T08:00:00Z", "b/2022-04-30T22:00:00Z",
        ])
        XCTAssertEqual(store.page(UpdateFilter(), ascending: true, limit: 500).updates.map(\.id), ids().reversed())
    }

    func testAPartLetsGoOfWhatItsIndexingNeededOnceIndexed() throws {
        let part = try XCTUnwrap(store.parts["a"])
        XCTAssertFalse(part.pending.forEachWord(at: 0) { _ in }, "the words are in the index now")
        XCTAssertNil(part.pending.takeContributions(), "the actors are in the directory now")
    }

    func testMergesActorsAcrossArticles() throws {
        let yang = try XCTUnwrap(store.actor(id: "y"))
        XCTAssertEqual(yang.mentions, 4)
        XCTAssertEqual(yang.record.aliases, ["Yang"])
        XCTAssertEqual(yang.record.roles, ["Mayor", "Envoy"])
        XCTAssertEqual(yang.record.affiliation, "x")
        XCTAssertEqual(yang.updates, ["a/2022-05-01T10:00:00Z", "b/2022-04-30T22:00:00Z"])
        XCTAssertEqual(yang.updateCount, 2)
        XCTAssertEqual(store.actors.map(\.id), ["y", "x"], "most mentioned first")
    }

    func testSelectsByInclusiveTimeBounds() {
        let ten = Instant(rfc3339: "2022-05-01T10:00:00Z")!
        let eight = Instant(rfc3339: "2022-05-01T08:00:00Z")!
        let all = ids()
        XCTAssertEqual(ids(UpdateFilter(since: eight)), Array(all[0...2]))
        XCTAssertEqual(ids(UpdateFilter(until: eight)), Array(all[2...3]))
        XCTAssertEqual(ids(UpdateFilter(since: eight, until: ten)), Array(all[0...2]))
        XCTAssertEqual(ids(UpdateFilter(since: ten.adding(seconds: 1))), [])
    }

    func testSelectsByActorsArticleWordsAndMinute() {
        let all = ids()
        XCTAssertEqual(ids(UpdateFilter(actors: ["x", "y"])), [all[3]])
        XCTAssertEqual(ids(UpdateFilter(actors: ["y"], article: "a")), [all[0]])
        XCTAssertEqual(ids(UpdateFilter(words: ["ferry"])), [all[0]], "whole words, not prefixes")
        XCTAssertEqual(ids(UpdateFilter(words: ["FERRIES", "sail"])), [all[1]])
        XCTAssertEqual(ids(UpdateFilter(minuteOfDay: 22 * 60)), [all[3]])
        XCTAssertEqual(ids(UpdateFilter(actors: ["nobody"])), [])
        XCTAssertEqual(store.page(UpdateFilter(actors: ["x"]), limit: 1).total, 2)
    }

    func testPagesWithACursorInBothDirections() {
        let all = ids()
        var seen: [String] = []
        var cursor: UpdateKey?
        while true {
            let page = store.page(UpdateFilter(), after: cursor, limit: 1)
            XCTAssertEqual(page.total, 4)
            seen += page.updates.map(\.id)
            guard page.hasMore, let last = page.updates.last else { break }
            cursor = last.key
        }
        XCTAssertEqual(seen, all)
        let tail = store.page(UpdateFilter(), ascending: true, after: store.update(id: all[2])!.key, limit: 10)
        XCTAssertEqual(tail.updates.map(\.id), [all[1], all[0]])
    }

    func testAChangeReplacesOneArticleAndSaysWhatChanged() throws {
        let replacement = Article(id: "b", date: "2022-05-01", lede: [], updates: [
            update("b", "2022-05-01T10:00:00Z", actors: ["x"], body: "Ferries sail again"),
            update("b", "2022-05-02T07:00:00Z", actors: ["x"], body: "Harbour reopens"),
        ], actors: [ActorRecord(id: "x", name: "Xland", kind: .country, aliases: ["Xish"], mentions: 2)])
        let (next, change) = store.applying(upserts: [replacement], removals: [])
        XCTAssertEqual(change.upserted.map(\.id), ["b/2022-05-02T07:00:00Z"], "the unchanged update is not news")
        XCTAssertEqual(change.removed, ["b/2022-04-30T22:00:00Z"])
        XCTAssertFalse(change.initial)
        XCTAssertEqual(ids(in: next).first, "b/2022-05-02T07:00:00Z")
        XCTAssertEqual(ids(in: next).count, 4)
        XCTAssertEqual(ids(UpdateFilter(words: ["harbour"]), in: next), ["b/2022-05-02T07:00:00Z"])
        XCTAssertEqual(ids(UpdateFilter(article: "b"), in: next), ["b/2022-05-02T07:00:00Z", "b/2022-05-01T10:00:00Z"])
        XCTAssertEqual(next.page(UpdateFilter(actors: ["y"]), limit: 10).total, 1, "the old b's mention of y is gone")
        XCTAssertEqual(try XCTUnwrap(next.actor(id: "y")).updateCount, 1)
        XCTAssertEqual(ids(), ids(in: store), "the old snapshot is unchanged")

        let (afterRemoval, removal) = next.applying(upserts: [], removals: ["a"])
        XCTAssertEqual(removal.removed, ["a/2022-05-01T08:00:00Z", "a/2022-05-01T10:00:00Z"])
        XCTAssertEqual(ids(in: afterRemoval), ["b/2022-05-02T07:00:00Z", "b/2022-05-01T10:00:00Z"])
        XCTAssertNil(afterRemoval.actor(id: "y"), "an actor no article names is gone")
        XCTAssertEqual(afterRemoval.page(UpdateFilter(words: ["ferry"]), limit: 10).total, 0)
    }

    func testAnActorCarriesTheNewestTwentyUpdatesAndFiftyQuotesWithCounts() throws {
        let updates = (0..<60).map { minute -> Update in
            var u = update("c", String(format: "2022-06-01T10:%02d:00Z", minute), actors: ["z"])
            u.quotes = [Quote(actor: "z", text: "quote at minute \(minute) of the hour")]
            return u
        }
        let store = Store(articles: [Article(id: "c", date: "2022-06-01", lede: [], updates: updates,
                                             actors: [ActorRecord(id: "z", name: "Zed", kind: .person, mentions: 60)])])
        let zed = try XCTUnwrap(store.actor(id: "z"))
        XCTAssertEqual(zed.updateCount, 60)
        XCTAssertEqual(zed.updates.count, Actor.listedUpdates)
        XCTAssertEqual(zed.updates.first, "c/2022-06-01T10:59:00Z")
        XCTAssertEqual(zed.quoteCount, 60)
        XCTAssertEqual(zed.quotes.count, Actor.listedQuotes)
        XCTAssertEqual(zed.quotes.first?.update, "c/2022-06-01T10:59:00Z")
    }

    /// Many small changes (which fill, merge and compact segments) end in the same answers
    /// as building the final articles at once.
    func testManyChangesAnswerLikeOneBuildOfTheSameArticles() throws {
        func article(_ n: Int, version: Int) -> Article {
            let id = String(format: "art%02d", n)
            let updates = (0..<(1 + (n + version) % 4)).map { k -> Update in
                var u = update(id, String(format: "2022-07-%02dT%02d:%02d:00Z", 1 + n % 5, (k * 7 + version) % 24, (n * 11) % 60),
                               actors: k % 2 == 0 ? ["p\(n % 3)"] : ["p\(n % 3)", "q"],
                               body: "word\(n % 4) version\(version) shared")
                u.quotes = k == 0 ? [Quote(actor: "q", text: "said \(n) in version \(version)")] : []
                return u
            }
            return Article(id: id, date: "2022-07-01", lede: [], updates: updates,
                           actors: [ActorRecord(id: "p\(n % 3)", name: "P \(n % 3)", kind: .person, mentions: 1 + version),
                                    ActorRecord(id: "q", name: "Q", kind: .group, aliases: ["Queue\(n % 2)"], mentions: 1)])
        }
        var live: [Int: Article] = [:]
        var store = Store.empty
        for step in 0..<90 {
            let n = (step * 7) % 30
            if step % 9 == 8, live[n] != nil {
                live[n] = nil
                store = store.applying(upserts: [], removals: [String(format: "art%02d", n)]).store
            } else {
                live[n] = article(n, version: step)
                store = store.applying(upserts: [live[n]!], removals: []).store
            }
            if step % 10 != 9 { continue }
            let built = Store(articles: Array(live.values))
            let filters = [UpdateFilter(), UpdateFilter(actors: ["q"]), UpdateFilter(actors: ["p1", "q"]),
                           UpdateFilter(words: ["shared"]), UpdateFilter(words: ["word2"]),
                           UpdateFilter(article: "art07"), UpdateFilter(minuteOfDay: 7 * 60 + 11)]
            for filter in filters {
                let (got, want) = (store.page(filter, limit: 1000), built.page(filter, limit: 1000))
                XCTAssertEqual(got.updates.map(\.id), want.updates.map(\.id), "step \(step), \(filter)")
                XCTAssertEqual(got.total, want.total, "step \(step), \(filter)")
            }
            XCTAssertEqual(store.updateCount, built.updateCount)
            XCTAssertEqual(store.actors, built.actors, "step \(step)")
        }
    }

    /// A corpus large enough to be indexed by several workers answers every filter as a
    /// walk over all its updates would.
    func testALargeIndexAnswersLikeAWalkOfEveryUpdate() {
        var all: [Update] = []
        let articles = (0..<40).map { n -> Article in
            let id = String(format: "big%02d", n)
            let updates = (0..<120).map { k -> Update in
                var u = update(id, String(format: "2021-%02d-%02dT%02d:%02d:00Z", 1 + k % 12, 1 + n % 28, k % 24, (n + k) % 60),
                               actors: ["a\(k % 7)"] + (k % 3 == 0 ? ["b\(n % 5)"] : []),
                               body: "alpha\(k % 11) beta\(n % 13) common")
                u.quotes = k % 4 == 0 ? [Quote(actor: "b\(n % 5)", text: "line \(k)")] : []
                return u
            }
            all += updates
            return Article(id: id, date: "2021-01-01", lede: [], updates: updates, actors: [])
        }
        let store = Store(articles: articles)
        let ordered = all.sorted { $0.key.precedes($1.key) }
        var quoted = UpdateFilter()
        quoted.quotedBy = "b3"
        for filter in [UpdateFilter(), UpdateFilter(actors: ["a3"]), UpdateFilter(actors: ["a1", "b2"]),
                       UpdateFilter(words: ["alpha4"]), UpdateFilter(words: ["beta7", "common"]),
                       UpdateFilter(minuteOfDay: 5 * 60 + 12), quoted,
                       UpdateFilter(since: Instant(rfc3339: "2021-05-01T00:00:00Z"), words: ["alpha2"])] {
            let page = store.page(filter, limit: 10_000)
            XCTAssertEqual(page.updates.map(\.id), ordered.filter(filter.admits).map(\.id), "\(filter)")
        }
    }
}
