import Foundation
import Routes
@testable import Server
import Store
import Synchronization
import XCTest

/// The pieces of `/stream` without sockets: the SSE bytes, the bounded history, and the hub
/// that turns store changes into shared, encoded events.
final class StreamHubTests: XCTestCase {
    static func update(_ article: String, minute: Int, headline: String = "Bridge reopens") -> Update {
        let time = Instant(year: 2022, month: 5, day: 1, hour: 10, minute: minute)!
        return Update(id: "\(article)/\(time.rfc3339)", time: time, article: article, headline: headline,
                      body: ["Traffic flows again on the river crossing."])
    }

    static func router(_ updates: [Update]) -> Router {
        let byArticle = Dictionary(grouping: updates, by: \.article)
        return Router(store: Store(articles: byArticle.map { Article(id: $0.key, date: "2022-05-01", lede: [], updates: $0.value, actors: []) }))
    }

    func text(_ block: ByteBlock) -> String { String(decoding: block.bytes, as: UTF8.self) }

    func testFramesFollowTheEventStreamFormat() {
        XCTAssertEqual(String(decoding: SSEFrame.event(id: 7, type: "update", data: Array("{\"a\":1}".utf8)), as: UTF8.self),
                       "id: 7\nevent: update\ndata: {\"a\":1}\n\n")
        // A line break inside data would end the field: it continues on a new data line.
        XCTAssertEqual(String(decoding: SSEFrame.event(id: 8, type: "x", data: Array("one\ntwo\r\nthree\rfour".utf8)), as: UTF8.self),
                       "id: 8\nevent: x\ndata: one\ndata: two\ndata: three\ndata: four\n\n")
        XCTAssertEqual(String(decoding: SSEFrame.chunk(Array("hello".utf8)), as: UTF8.self), "5\r\nhello\r\n")
        XCTAssertEqual(String(decoding: SSEFrame.chunkHead(count: 300), as: UTF8.self), "12c\r\n")
        XCTAssertEqual(String(decoding: SSEFrame.comment("keep-alive"), as: UTF8.self), ": keep-alive\n\n")
    }

    func event(_ id: UInt64, bytes: Int = 10) -> StreamEvent {
        StreamEvent(id: id, kind: .update, subject: nil, data: Array(repeating: UInt8(ascii: "x"), count: bytes))
    }

    func ids(_ replay: StreamHistory.Replay) -> [UInt64]? {
        guard case .events(let events) = replay else { return nil }
        return events.map(\.id)
    }

    func testTheHistoryReplaysAfterAPositionAndKnowsWhatItNoLongerHas() {
        var history = StreamHistory(origin: 100, maximumEvents: 3, maximumBytes: 1 << 20)
        XCTAssertEqual(ids(history.after(100)), [])
        guard case .unknown = history.after(101) else { return XCTFail("a position never reached") }
        guard case .tooOld = history.after(99) else { return XCTFail("a position from before this stream") }
        for id in 101...105 { history.append(event(UInt64(id))) }
        XCTAssertEqual(history.count, 3)
        XCTAssertEqual(ids(history.after(102)), [103, 104, 105], "the event just before the oldest kept still resumes")
        XCTAssertEqual(ids(history.after(104)), [105])
        XCTAssertEqual(ids(history.after(105)), [])
        guard case .tooOld = history.after(101) else { return XCTFail("102 is gone, so 101 cannot resume") }
        history.skip(through: 110)
        XCTAssertEqual(history.lastID, 110)
        XCTAssertEqual(ids(history.after(110)), [])
        guard case .tooOld = history.after(105) else { return XCTFail("the skipped events were never kept") }
    }

    func testTheHistoryIsBoundedInBytes() {
        var history = StreamHistory(origin: 0, maximumEvents: 1000, maximumBytes: 1000)
        for id in 1...50 { history.append(event(UInt64(id), bytes: 100)) }
        XCTAssertLessThanOrEqual(history.bytes, 1000)
        XCTAssertEqual(ids(history.after(history.lastID - 1)), [50])
        guard case .tooOld = history.after(1) else { return XCTFail("kept more than its bytes") }
    }

    func testAChangeIsEncodedOnceOldestFirstAndWakesEveryLoop() throws {
        let hub = StreamHub(origin: 1000)
        let woken = Atomic<Int>(0)
        hub.register { woken.add(1, ordering: .relaxed) }
        hub.register { woken.add(1, ordering: .relaxed) }
        let old = [Self.update("a", minute: 1)]
        hub.publish(StoreChange(generation: 1, upserted: old, removed: [], initial: true), router: Self.router(old))
        XCTAssertEqual(hub.lastID, 1000, "the first load is not pushed")
        XCTAssertEqual(woken.load(ordering: .relaxed), 0)

        let added = [Self.update("b", minute: 3, headline: "Newest"), Self.update("b", minute: 2, headline: "Older")]
        hub.publish(StoreChange(generation: 2, upserted: added, removed: ["a/2022-05-01T10:01:00Z"]), router: Self.router(added))
        XCTAssertEqual(woken.load(ordering: .relaxed), 2)
        XCTAssertEqual(hub.lastID, 1003)
        guard case .events(let events) = hub.events(after: 1000) else { return XCTFail("no events") }
        XCTAssertEqual(events.map(\.id), [1001, 1002, 1003])
        XCTAssertEqual(events.map(\.kind), [.update, .update, .removed])
        XCTAssertEqual(events.map { $0.subject?.headline }, ["Older", "Newest", "Bridge reopens"],
                       "the removed update is the one the previous snapshot held")
        XCTAssertEqual(text(events[0].frame),
                       "id: 1001\nevent: update\ndata: \(String(decoding: StreamEventData.update(added[1]), as: UTF8.self))\n\n")
        XCTAssertEqual(text(events[2].frame), "id: 1003\nevent: removed\ndata: {\"id\":\"a/2022-05-01T10:01:00Z\"}\n\n")
        XCTAssertEqual(text(events[0].chunk), String(events[0].frame.count, radix: 16) + "\r\n" + text(events[0].frame) + "\r\n")
        // Each subscriber's filter is asked of the batch's events, their words folded once.
        var batch = StreamBatch(events)
        func wants(_ offset: Int, _ filter: UpdateFilter) -> Bool {
            StreamSubscription(filter: filter, matchesNothing: false, chunked: true, skipThrough: 0, now: 0)
                .wants(events[events.startIndex + offset], subject: { batch.subject(at: offset) })
        }
        XCTAssertTrue(wants(0, UpdateFilter(article: "b")))
        XCTAssertTrue(wants(0, UpdateFilter(words: ["RIVER", "older"])))
        XCTAssertFalse(wants(0, UpdateFilter(words: ["river", "newest"])))
        XCTAssertTrue(wants(1, UpdateFilter(article: "b", words: ["newest"])))
        XCTAssertFalse(wants(0, UpdateFilter(article: "a")))
        XCTAssertTrue(wants(2, UpdateFilter(article: "a")), "a removal reaches the subscribers of its article")
        XCTAssertFalse(wants(2, UpdateFilter(article: "b")))
        XCTAssertTrue(wants(2, UpdateFilter()))
        XCTAssertFalse(StreamSubscription(filter: UpdateFilter(), matchesNothing: true, chunked: true, skipThrough: 0, now: 0)
            .wants(events[events.startIndex], subject: { nil }), "a query of signs only matches nothing")
        XCTAssertFalse(StreamSubscription(filter: UpdateFilter(), matchesNothing: false, chunked: true, skipThrough: 1001, now: 0)
            .wantsAll(events), "the client has event 1001 already")
        hub.publish(StoreChange(generation: 3, upserted: [], removed: []), router: Self.router(added))
        XCTAssertEqual(woken.load(ordering: .relaxed), 2, "an empty change wakes nobody")
        var text = PrometheusText()
        hub.counters.render(into: &text)
        XCTAssertTrue(text.lines.contains("liveblog_stream_events_published_total 3"), "\(text.lines)")
    }

    func testAChangeLargerThanTheHistoryKeepsItsNewestAndAdvancesEveryID() {
        let hub = StreamHub(origin: 0, maximumEvents: 4)
        let many = (0..<10).map { Self.update("c", minute: $0) }
        hub.publish(StoreChange(generation: 2, upserted: many, removed: []), router: Self.router(many))
        XCTAssertEqual(hub.lastID, 10)
        guard case .events(let kept) = hub.events(after: 6) else { return XCTFail("the newest four are kept") }
        XCTAssertEqual(kept.map { $0.subject?.id }, many.prefix(4).reversed().map(\.id))
        guard case .tooOld = hub.events(after: 2) else { return XCTFail("the skipped ones cannot be replayed") }
    }

    func testTheUpdateJSONIsTheRoutersOwnAndEncodedForAnUpdateItDoesNotHold() {
        let held = [Self.update("d", minute: 5), Self.update("d", minute: 4)]
        let router = Self.router(held)
        let stranger = Self.update("e", minute: 6, headline: "Not in this snapshot")
        let changed = Update(id: held[0].id, time: held[0].time, article: "d", headline: "Changed since", body: [])
        let data = [held[1], stranger, held[0], changed].map(StreamEventData.update)
        XCTAssertEqual(data, [held[1], stranger, held[0], changed].map(StreamEventData.update))
        let page = String(decoding: router.respond(to: Request(method: "GET", target: "/updates?article=d")).body, as: UTF8.self)
        XCTAssertTrue(page.contains(String(decoding: data[0], as: UTF8.self)), "not byte for byte what /updates serves")
        XCTAssertTrue(page.contains(String(decoding: data[2], as: UTF8.self)), "not byte for byte what /updates serves")
    }

    func testABatchIsOneBlockPerFramingSharedByEverySubscriber() {
        var batch = StreamBatch([event(1, bytes: 3), event(2, bytes: 4)][...])
        let chunked = batch.block(chunked: true)
        let frames = text(batch.events.first!.frame) + text(batch.events.last!.frame)
        XCTAssertEqual(text(chunked), String(frames.utf8.count, radix: 16) + "\r\n" + frames + "\r\n", "all the events in one chunk")
        XCTAssertTrue(batch.block(chunked: true) === chunked, "made once, then shared")
        XCTAssertEqual(text(batch.block(chunked: false)), frames)
        let one = event(3)
        var single = StreamBatch([one][...])
        XCTAssertTrue(single.block(chunked: true) === one.chunk, "a single event is its own block, not a copy")
        XCTAssertTrue(single.block(chunked: false) === one.frame)
    }

    func testTheHeartbeatsOfSubscribersWrittenTogetherAreSpreadInsideThePeriod() {
        let period = Int64(StreamLimits.heartbeatSeconds) * 1000
        let spread = StreamLimits.heartbeatSpreadMilliseconds
        let dues = (0..<(2 * spread)).map {
            StreamSubscription(filter: UpdateFilter(), matchesNothing: false, chunked: true, skipThrough: 0, now: 500, spread: $0).heartbeatDue
        }
        XCTAssertTrue(dues.allSatisfy { $0 <= 500 + period && $0 > 500 + period - Int64(spread) }, "a heartbeat after the period, or long before it")
        XCTAssertEqual(Set(dues).count, spread, "not spread over every millisecond of the spread")
    }

    func testTheStreamOriginGrowsWithTheClock() {
        let first = StreamHub.clockOrigin()
        usleep(2000)
        XCTAssertGreaterThan(StreamHub.clockOrigin(), first + 1000)
    }
}
