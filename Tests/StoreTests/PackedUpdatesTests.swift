import XCTest
@testable import Store

final class PackedUpdatesTests: XCTestCase {
    func testEveryFieldReadsBackAsWritten() {
        let updates = [
            Update(id: "a/2023-03-01T09:00:00Z", time: Instant(rfc3339: "2023-03-01T09:00:00Z")!, article: "a",
                   headline: "Ministers meet in Zürich — “talks”", body: ["First paragraph.", "", "Ünïcödé ✓ 北京"],
                   actors: ["zurich", "minister-x"], quotes: [Quote(actor: "minister-x", text: "We will talk")],
                   embeds: [.tweet(Tweet(author: "A Writer", handle: "@writer", date: "March 1, 2023", text: "Live now",
                                         links: ["https://example.org/x", "pic.example/y"])),
                            .video(Video(title: "Harbour at dawn", duration: 95))]),
            Update(id: "a/2023-03-01T08:00:00Z-2", time: Instant(rfc3339: "2023-03-01T08:00:00Z")!, article: "a",
                   headline: "", body: []),
        ]
        let packed = PackedUpdates(updates)
        XCTAssertEqual(packed.count, 2)
        XCTAssertEqual(packed.ids, updates.map(\.id))
        XCTAssertEqual(packed.times, updates.map(\.time.secondsSinceEpoch))
        for (local, update) in updates.enumerated() {
            XCTAssertEqual(packed.update(at: local, article: "a"), update)
        }
    }

    /// Ids are kept as one shared prefix and each one's rest: whatever they share (nothing,
    /// all of it, part of a character), they read back whole and order as strings do.
    func testIdsReadBackAndOrderWhateverTheyShare() {
        let sets = [["a/1", "a/2", "a/10"], ["x", "y"], ["same", "same"], ["é1", "é2", "ê"], ["solo"], ["ab", "a", ""]]
        let time = Instant(secondsSinceEpoch: 0)
        for ids in sets {
            let packed = PackedUpdates(ids.map { Update(id: $0, time: time, article: "a", headline: "", body: []) })
            XCTAssertEqual(packed.ids, ids)
            for a in ids.indices {
                for b in ids.indices {
                    XCTAssertEqual(packed.id(a, precedes: b, of: packed), ids[a] < ids[b], "\(ids[a]) < \(ids[b])")
                }
            }
        }
        let left = PackedUpdates([Update(id: "b/1", time: time, article: "b", headline: "", body: [])])
        let right = PackedUpdates(["a/9", "a/10"].map { Update(id: $0, time: time, article: "a", headline: "", body: []) })
        XCTAssertFalse(left.id(0, precedes: 0, of: right))
        XCTAssertTrue(right.id(1, precedes: 0, of: left))
    }

    func testActorRecordsReadBackAsWritten() {
        let records = [ActorRecord(id: "jane-doe", name: "Jane Doe", kind: .person, aliases: ["Doe", "@jdoe"],
                                   roles: ["Mayor of Ålesund"], affiliation: "city-council", mentions: 7),
                       ActorRecord(id: "un", name: "United Nations", kind: .organization, mentions: 0)]
        XCTAssertEqual(PackedRecords(records).records, records)
        XCTAssertEqual(PackedRecords([]).records, [])
    }

    func testAPartServesItsUpdatesNewestFirstFromThePackedForm() {
        let older = Update(id: "b/2023-01-01T10:00:00Z", time: Instant(rfc3339: "2023-01-01T10:00:00Z")!, article: "b",
                           headline: "Older", body: ["one"])
        let newer = Update(id: "b/2023-01-02T10:00:00Z", time: Instant(rfc3339: "2023-01-02T10:00:00Z")!, article: "b",
                           headline: "Newer", body: ["two"])
        let store = Store(articles: [Article(id: "b", date: "2023-01-01", lede: [], updates: [older, newer], actors: [])])
        XCTAssertEqual(store.parts["b"]?.updates, [newer, older])
        XCTAssertEqual(store.update(id: older.id), older)
        XCTAssertNil(store.update(id: "b/2023-01-03T10:00:00Z"))
    }
}

final class SortedWordListTests: XCTestCase {
    func testFindsEveryWordItHoldsAndNoOther() {
        let words = ["zurich", "ämter", "a", "ab", "abc", "b", "北京", "ab"]
        let list = SortedWordList(words)
        XCTAssertEqual(list.count, 7, "one entry per distinct word")
        for word in words { XCTAssertTrue(list.contains(word), word) }
        for absent in ["", "aa", "abcd", "c", "zuric", "北"] { XCTAssertFalse(list.contains(absent), absent) }
        XCTAssertFalse(SortedWordList([]).contains("a"))
    }
}
