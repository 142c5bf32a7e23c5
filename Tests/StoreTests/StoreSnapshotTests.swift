import XCTest
@testable import Store

/// A store written to a snapshot and read back answers exactly as the store it was, keeps
/// changing like it, and damaged bytes are refused by name.
final class StoreSnapshotTests: XCTestCase {
    private func article(_ n: Int, version: Int) -> Article {
        let id = String(format: "snap%02d", n)
        let updates = (0..<(2 + (n + version) % 3)).map { k -> Update in
            let time = String(format: "2023-03-%02dT%02d:%02d:00Z", 1 + n % 6, (k * 5 + version) % 24, (n * 13) % 60)
            var u = Update(id: "\(id)/\(time)", time: Instant(rfc3339: time)!, article: id, headline: "Update \(k) of \(n)",
                           body: ["river\(n % 3) talks version\(version)", "Ünïcode café \(k)"],
                           actors: k % 2 == 0 ? ["m\(n % 4)"] : ["m\(n % 4)", "council"])
            u.quotes = k == 0 ? [Quote(actor: "council", text: "we met \(n) times")] : []
            if k == 1 {
                u.embeds = [.video(Video(title: "Clip \(n)", duration: 40 + n))]
            }
            return u
        }
        return Article(id: id, date: "2023-03-01", lede: ["Lede of \(n). More."], updates: updates,
                       actors: [ActorRecord(id: "m\(n % 4)", name: "M \(n % 4)", kind: .person, roles: ["Mayor"],
                                            mentions: 1 + version % 3),
                                ActorRecord(id: "council", name: "Council", kind: .organization,
                                            aliases: ["the council \(n % 2)"], affiliation: "m0", mentions: 2)])
    }

    /// A store of several segments, with masked parts: built by many small changes.
    private func changedStore() -> (Store, [Int: Article]) {
        var live: [Int: Article] = [:]
        var store = Store.empty
        for step in 0..<40 {
            let n = (step * 7) % 18
            if step % 8 == 7, live[n] != nil {
                live[n] = nil
                store = store.applying(upserts: [], removals: [String(format: "snap%02d", n)]).store
            } else {
                live[n] = article(n, version: step)
                store = store.applying(upserts: [live[n]!], removals: []).store
            }
        }
        return (store, live)
    }

    private func snapshot(of store: Store, labels: [String: [UInt8]] = [:]) -> [UInt8] {
        var bytes: [UInt8] = []
        store.writeSnapshot(labels: labels) { bytes.append(contentsOf: $0) }
        return bytes
    }

    private func read(_ bytes: [UInt8]) throws -> (store: Store, labels: [String: [UInt8]]) {
        try bytes.withUnsafeBytes { raw in try Store.reading(snapshot: raw) }
    }

    private func assertSameAnswers(_ got: Store, _ want: Store, _ context: String, file: StaticString = #filePath,
                                   line: UInt = #line) {
        var quoted = UpdateFilter()
        quoted.quotedBy = "council"
        let filters = [UpdateFilter(), UpdateFilter(actors: ["council"]), UpdateFilter(actors: ["m1", "council"]),
                       UpdateFilter(words: ["talks"]), UpdateFilter(words: ["cafe"]), UpdateFilter(article: "snap05"),
                       UpdateFilter(minuteOfDay: 10 * 60 + 5), quoted,
                       UpdateFilter(since: Instant(rfc3339: "2023-03-03T00:00:00Z"), words: ["river1"])]
        for filter in filters {
            let (a, b) = (got.page(filter, limit: 1000), want.page(filter, limit: 1000))
            XCTAssertEqual(a.updates, b.updates, "\(context): \(filter)", file: file, line: line)
            XCTAssertEqual(a.total, b.total, "\(context): \(filter)", file: file, line: line)
        }
        XCTAssertEqual(got.updateCount, want.updateCount, context, file: file, line: line)
        XCTAssertEqual(got.overviews, want.overviews, context, file: file, line: line)
        XCTAssertEqual(got.actors, want.actors, context, file: file, line: line)
        XCTAssertEqual(Set(got.parts.keys), Set(want.parts.keys), context, file: file, line: line)
        for (id, part) in want.parts {
            XCTAssertEqual(got.parts[id]?.records, part.records, "\(context): \(id)", file: file, line: line)
        }
    }

    func testAStoreReadBackAnswersLikeTheStoreItWas() throws {
        let (store, _) = changedStore()
        let labels = ["snap01": Array("from snap01.txt".utf8), "snap02": [0, 255, 7]]
        let (back, backLabels) = try read(snapshot(of: store, labels: labels))
        XCTAssertEqual(backLabels, labels)
        XCTAssertEqual(back.generation, 0, "a store read back has served nothing yet")
        assertSameAnswers(back, store, "read back")
    }

    func testAStoreReadBackChangesLikeTheStoreItWas() throws {
        var (store, live) = changedStore()
        var (back, _) = try read(snapshot(of: store))
        // The first load onto a snapshot: one article replaced, one removed, one new; no news.
        let first = back.applying(upserts: [article(3, version: 90), article(40, version: 1)], removals: ["snap05"])
        XCTAssertTrue(first.change.initial)
        XCTAssertTrue(first.change.upserted.isEmpty && first.change.removed.isEmpty)
        back = first.store
        live[3] = article(3, version: 90)
        live[40] = article(40, version: 1)
        live[5] = nil
        store = Store(articles: Array(live.values))
        assertSameAnswers(back, store, "after the first load")
        // Then a change is news, as it would be on any store.
        let next = back.applying(upserts: [article(7, version: 91)], removals: [])
        XCTAssertFalse(next.change.initial)
        XCTAssertFalse(next.change.upserted.isEmpty)
        live[7] = article(7, version: 91)
        assertSameAnswers(next.store, Store(articles: Array(live.values)), "after a change")
    }

    func testDamagedTruncatedOrForeignBytesAreRefusedByName() throws {
        let bytes = snapshot(of: changedStore().0)
        func reason(_ bytes: [UInt8]) -> String {
            do {
                _ = try read(bytes)
                return "read"
            } catch {
                return "\(error)"
            }
        }
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x10
        XCTAssertEqual(reason(damaged), "not an intact store snapshot: checksum mismatch (damaged bytes)")
        XCTAssertTrue(reason(Array(bytes.dropLast(5))).hasPrefix("not an intact store snapshot: the trailer announces"))
        var foreign = bytes
        foreign[4] = 99
        XCTAssertEqual(reason(foreign), "not an intact store snapshot: format 99, expected \(StoreSnapshot.formatVersion)")
        XCTAssertEqual(reason(Array("LBAR".utf8) + bytes.dropFirst(4)), "not an intact store snapshot: no LBSS magic at the start")
        XCTAssertEqual(reason([1, 2, 3]), "not an intact store snapshot: 3 bytes, too short for a snapshot")
    }

    func testTheChecksumDependsOnlyOnTheBytesNotOnHowTheyArrive() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) }
        func checksum(_ pieces: [Int]) -> UInt64 {
            var sum = WordChecksum()
            var start = 0
            for end in pieces + [bytes.count] {
                bytes[start..<end].withUnsafeBytes { sum.update($0) }
                start = end
            }
            return sum.finish()
        }
        let whole = checksum([])
        XCTAssertEqual(checksum([3, 4, 17, 500, 999]), whole)
        XCTAssertEqual(checksum([1, 2, 3, 4, 5, 6, 7, 8, 9]), whole)
        var shorter = WordChecksum()
        bytes.dropLast(8).withUnsafeBytes { shorter.update($0) }
        XCTAssertNotEqual(shorter.finish(), whole, "a truncation at a word boundary changes it")
    }
}
