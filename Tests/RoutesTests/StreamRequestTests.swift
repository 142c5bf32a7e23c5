import Foundation
@testable import Routes
import Store
import XCTest

/// `/stream`'s query: the filters of `/updates`, parsed by the same code, and the position
/// to resume from.
final class StreamRequestTests: XCTestCase {
    func parse(_ target: String, headers: [(name: String, value: String)] = []) throws -> StreamRequest {
        switch StreamRequest.parse(target: target, headers: headers) {
        case .success(let request): return request
        case .failure(let problem): throw problem
        }
    }

    func problem(_ target: String) -> (status: Int, body: [String: Any])? {
        guard case .failure(let problem) = StreamRequest.parse(target: target, headers: []) else { return nil }
        return (problem.response.status, Fixtures.json(problem.response))
    }

    func testTheFiltersAreThoseOfUpdates() throws {
        let request = try parse("/stream?actor=ruritania&actor=ana-varga&article=a1_harbour&q=Harbour%20Ferries&since=2021-03-04&until=2021-03-04T12")
        XCTAssertEqual(request.filter.actors, ["ruritania", "ana-varga"])
        XCTAssertEqual(request.filter.article, "a1_harbour")
        XCTAssertEqual(request.filter.words, ["harbour", "ferries"])
        XCTAssertEqual(request.filter.since, Fixtures.instant("2021-03-04T00:00:00Z"))
        XCTAssertEqual(request.filter.until, Fixtures.instant("2021-03-04T12:59:59Z"))
        XCTAssertNil(request.lastEventID)
        // The same query on /updates gives the same filter.
        let updates = try QueryParameters(items: RequestTarget("/updates?actor=ruritania&actor=ana-varga&article=a1_harbour&q=Harbour%20Ferries&since=2021-03-04&until=2021-03-04T12")!.query,
                                          allowed: QueryParameters.updateParameters)
        XCTAssertEqual(updates.filter, request.filter)
    }

    func testNoQueryWantsEverything() throws {
        XCTAssertEqual(try parse("/stream"), StreamRequest())
    }

    func testAQueryOfSignsOnlyMatchesNothingAsOnUpdates() throws {
        XCTAssertTrue(try parse("/stream?q=%2C%20%2D").matchesNothing)
        XCTAssertFalse(try parse("/stream?q=ferry").matchesNothing)
    }

    func testTheLastEventIDHeaderWinsOverTheQuery() throws {
        XCTAssertEqual(try parse("/stream?last_event_id=41").lastEventID, "41")
        XCTAssertEqual(try parse("/stream?last_event_id=41", headers: [("last-event-id", " 57 ")]).lastEventID, "57")
        XCTAssertEqual(try parse("/stream", headers: [("Last-Event-ID", "anything a server once sent")]).lastEventID,
                       "anything a server once sent")
        XCTAssertEqual(try parse("/stream?last_event_id=41", headers: [("Last-Event-ID", "")]).lastEventID, "41")
    }

    func testBadParametersAreRefusedByName() {
        let unknown = problem("/stream?limit=5")
        XCTAssertEqual(unknown?.status, 400)
        XCTAssertEqual(unknown?.body["parameter"] as? String, "limit")
        XCTAssertTrue((unknown?.body["detail"] as? String)?.contains("last_event_id") == true)
        XCTAssertEqual(problem("/stream?since=yesterday")?.body["parameter"] as? String, "since")
        XCTAssertEqual(problem("/stream?last_event_id=abc")?.body["parameter"] as? String, "last_event_id")
        XCTAssertEqual(problem("/stream?article=%ZZ")?.status, 400)
    }

    func testTheEventDataIsTheJSONOfUpdates() throws {
        let update = Fixtures.store.page(UpdateFilter(), limit: 1).updates[0]
        let page = Fixtures.get("/updates?limit=1")
        let data = StreamEventData.update(update)
        XCTAssertTrue(String(decoding: page.body, as: UTF8.self).contains(String(decoding: data, as: UTF8.self)))
        let removed = try JSONSerialization.jsonObject(with: Data(StreamEventData.removed(id: "a/\"b\""))) as? [String: String]
        XCTAssertEqual(removed, ["id": "a/\"b\""])
        let reset = try JSONSerialization.jsonObject(with: Data(StreamEventData.reset(detail: "too old"))) as? [String: String]
        XCTAssertEqual(reset, ["detail": "too old", "reload": "/updates"])
    }
}
