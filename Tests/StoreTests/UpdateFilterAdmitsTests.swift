import Store
import XCTest

/// One update against a filter (what `/stream` asks of each change): the same answer the
/// index gives for the whole store.
final class UpdateFilterAdmitsTests: XCTestCase {
    let updates = [
        Update(id: "a/2021-03-04T12:00:00Z", time: Instant(year: 2021, month: 3, day: 4, hour: 12)!, article: "a",
               headline: "Ferries resume", body: ["The Harbour reopens at dawn."], actors: ["ruritania", "ana-varga"]),
        Update(id: "a/2021-03-04T09:30:00Z", time: Instant(year: 2021, month: 3, day: 4, hour: 9, minute: 30)!, article: "a",
               headline: "Évacuation", body: ["Families moved."], actors: ["ruritania"]),
        Update(id: "b/2021-03-05T08:00:00Z", time: Instant(year: 2021, month: 3, day: 5, hour: 8)!, article: "b",
               headline: "Summit opens", body: ["Leaders meet at the harbour."], actors: ["ana-varga"]),
    ]

    func check(_ filter: UpdateFilter, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        let matched = updates.filter(filter.admits).map(\.id)
        XCTAssertEqual(matched, expected, file: file, line: line)
        let store = Store(articles: [Article(id: "a", date: "2021-03-04", lede: [], updates: Array(updates[0...1]), actors: []),
                                     Article(id: "b", date: "2021-03-05", lede: [], updates: [updates[2]], actors: [])])
        XCTAssertEqual(Set(store.page(filter, limit: 10).updates.map(\.id)), Set(expected), "differs from Store.page", file: file, line: line)
    }

    func testEachConditionAndTheirConjunction() {
        check(UpdateFilter(), updates.map(\.id))
        check(UpdateFilter(article: "a"), ["a/2021-03-04T12:00:00Z", "a/2021-03-04T09:30:00Z"])
        check(UpdateFilter(actors: ["ruritania", "ana-varga"]), ["a/2021-03-04T12:00:00Z"])
        check(UpdateFilter(words: ["harbour"]), ["a/2021-03-04T12:00:00Z", "b/2021-03-05T08:00:00Z"])
        check(UpdateFilter(words: ["EVACUATION"]), ["a/2021-03-04T09:30:00Z"])
        check(UpdateFilter(since: Instant(year: 2021, month: 3, day: 4, hour: 12)!), ["a/2021-03-04T12:00:00Z", "b/2021-03-05T08:00:00Z"])
        check(UpdateFilter(until: Instant(year: 2021, month: 3, day: 4, hour: 12)!), ["a/2021-03-04T12:00:00Z", "a/2021-03-04T09:30:00Z"])
        check(UpdateFilter(actors: ["ana-varga"], words: ["harbour", "leaders"]), ["b/2021-03-05T08:00:00Z"])
        check(UpdateFilter(minuteOfDay: 9 * 60 + 30), ["a/2021-03-04T09:30:00Z"])
    }
}
