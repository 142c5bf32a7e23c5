import XCTest
@testable import Routes
import Store

final class UpdatesRouteTests: XCTestCase {
    func ids(_ response: Response) -> [String] {
        (Fixtures.json(response)["updates"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    func testListsEveryUpdateNewestFirstWithTheContractShape() throws {
        let response = Fixtures.get("/updates")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(Fixtures.header(response, "Content-Type"), "application/json")
        let body = Fixtures.json(response)
        XCTAssertEqual(body["total"] as? Int, 5)
        XCTAssertTrue(body["next"] is NSNull)
        XCTAssertEqual(ids(response), [
            "a1_harbour/2021-03-04T12:00:00Z", "a2_summit/2021-03-04T12:00:00Z", "a1_harbour/2021-03-04T09:30:00Z",
            "a2_summit/2021-03-04T08:15:00Z", "a1_harbour/2021-03-03T23:55:00Z",
        ])
        let first = try XCTUnwrap((body["updates"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["time"] as? String, "2021-03-04T12:00:00Z")
        XCTAssertEqual(first["article"] as? String, "a1_harbour")
        XCTAssertEqual(first["actors"] as? [String], ["ruritania", "ana-varga"])
        XCTAssertEqual((first["quotes"] as? [[String: String]])?.first?["actor"], "ana-varga")
        let video = try XCTUnwrap((first["embeds"] as? [[String: Any]])?.first)
        XCTAssertEqual(video["kind"] as? String, "video")
        XCTAssertEqual(video["duration"] as? Int, 95)
    }

    func testPagesFollowTheNextLinkToTheEndWithoutGapsOrRepeats() {
        for order in ["desc", "asc"] {
            var seen: [String] = []
            var target: String? = "/updates?limit=2&order=\(order)"
            var pages = 0
            while let current = target, pages < 10 {
                let response = Fixtures.get(current)
                XCTAssertEqual(response.status, 200, current)
                XCTAssertEqual(Fixtures.json(response)["total"] as? Int, 5)
                seen += ids(response)
                target = Fixtures.json(response)["next"] as? String
                pages += 1
            }
            XCTAssertEqual(pages, 3)
            let all = ids(Fixtures.get("/updates?limit=500&order=\(order)"))
            XCTAssertEqual(seen, all, order)
            XCTAssertEqual(Set(seen).count, 5)
        }
        XCTAssertEqual(ids(Fixtures.get("/updates?order=asc")).first, "a1_harbour/2021-03-03T23:55:00Z")
    }

    func testNextLinkKeepsTheFilters() throws {
        let response = Fixtures.get("/updates?limit=1&actor=ruritania")
        let next = try XCTUnwrap(Fixtures.json(response)["next"] as? String)
        XCTAssertTrue(next.hasPrefix("/updates?limit=1&actor=ruritania&cursor="), next)
        XCTAssertEqual(ids(Fixtures.get(next)), ["a2_summit/2021-03-04T12:00:00Z"])
    }

    func testFiltersByTimeBoundsGivenAsPrefixes() {
        XCTAssertEqual(ids(Fixtures.get("/updates?since=2021-03-04")).count, 4)
        XCTAssertEqual(ids(Fixtures.get("/updates?until=2021-03-03")), ["a1_harbour/2021-03-03T23:55:00Z"])
        XCTAssertEqual(ids(Fixtures.get("/updates?since=2021-03-04T09&until=2021-03-04T09")),
                       ["a1_harbour/2021-03-04T09:30:00Z"])
        XCTAssertEqual(ids(Fixtures.get("/updates?since=2021-03-04T12:00:00%2B03:00")).count, 3,
                       "an offset is converted to UTC: 12:00+03:00 is 09:00Z")
    }

    func testFiltersByEveryActorGivenByArticleAndByWords() {
        XCTAssertEqual(ids(Fixtures.get("/updates?actor=ruritania")).count, 3)
        XCTAssertEqual(ids(Fixtures.get("/updates?actor=ruritania&actor=red-cross")), ["a2_summit/2021-03-04T12:00:00Z"])
        XCTAssertEqual(ids(Fixtures.get("/updates?actor=nobody")), [])
        XCTAssertEqual(ids(Fixtures.get("/updates?article=a2_summit")).count, 2)
        XCTAssertEqual(ids(Fixtures.get("/updates?q=EVACUATION")), ["a1_harbour/2021-03-04T09:30:00Z"],
                       "case- and accent-insensitive")
        XCTAssertEqual(ids(Fixtures.get("/updates?q=red+boats")), ["a1_harbour/2021-03-03T23:55:00Z"])
        XCTAssertEqual(ids(Fixtures.get("/updates?q=harbour%20silence")), [])
    }

    func testBadParametersAreProblemsNamingTheParameter() {
        let cases = [
            ("/updates?limit=0", "limit"), ("/updates?limit=501", "limit"), ("/updates?limit=ten", "limit"),
            ("/updates?order=sideways", "order"), ("/updates?since=yesterday", "since"),
            ("/updates?until=2021-13-01", "until"), ("/updates?cursor=garbage!", "cursor"),
            ("/updates?limitt=5", "limitt"), ("/updates?limit=5&limit=6", "limit"),
            ("/updates?q=%20", "q"),
        ]
        for (target, parameter) in cases {
            let response = Fixtures.get(target)
            XCTAssertEqual(response.status, 400, target)
            XCTAssertEqual(Fixtures.header(response, "Content-Type"), "application/problem+json", target)
            let problem = Fixtures.json(response)
            XCTAssertEqual(problem["status"] as? Int, 400)
            XCTAssertEqual(problem["parameter"] as? String, parameter, target)
            XCTAssertTrue((problem["detail"] as? String ?? "").contains(parameter), target)
            XCTAssertNotNil(problem["title"])
            XCTAssertNotNil(problem["type"])
        }
    }

    func testUntilBeforeSinceIsAnEmptySpan() {
        let response = Fixtures.get("/updates?since=2021-03-05&until=2021-03-04")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(Fixtures.json(response)["total"] as? Int, 0)
        XCTAssertEqual(Fixtures.json(Fixtures.get("/articles?since=2021-03-05&until=2021-03-04"))["total"] as? Int, 0)
    }

    func testWordsWithoutLettersMatchNothingAndOnlySpacesAreRefused() {
        for list in ["/updates", "/articles"] {
            let signs = Fixtures.get(list + "?q=%E2%82%AC%20--")
            XCTAssertEqual(signs.status, 200, list)
            XCTAssertEqual(Fixtures.json(signs)["total"] as? Int, 0, list)
        }
        for target in ["/updates?q=%20%09", "/actors?q=%E2%80%83", "/articles?q=%20"] {
            XCTAssertEqual(Fixtures.json(Fixtures.get(target))["parameter"] as? String, "q", target)
        }
        XCTAssertEqual(Fixtures.json(Fixtures.get("/actors?q=%C3%A1na"))["total"] as? Int, 1, "accent-insensitive prefix")
    }

    func testACursorFromTheActorListIsRefused() throws {
        let next = try XCTUnwrap(Fixtures.json(Fixtures.get("/actors?limit=1"))["next"] as? String)
        let cursor = try XCTUnwrap(next.components(separatedBy: "cursor=").last)
        XCTAssertEqual(Fixtures.get("/updates?cursor=\(cursor)").status, 400)
    }

    func testUpdatesAtATimeAcceptEveryPrefixAndAClockMinute() {
        XCTAssertEqual(ids(Fixtures.get("/updates/2021-03-04")).count, 4)
        XCTAssertEqual(ids(Fixtures.get("/updates/2021-03-04T12")).count, 2)
        XCTAssertEqual(ids(Fixtures.get("/updates/2021-03-04T09:30")), ["a1_harbour/2021-03-04T09:30:00Z"])
        XCTAssertEqual(ids(Fixtures.get("/updates/2021-03-04T09:30:00Z")), ["a1_harbour/2021-03-04T09:30:00Z"])
        XCTAssertEqual(ids(Fixtures.get("/updates/2021-03")).count, 5)
        XCTAssertEqual(ids(Fixtures.get("/updates/23:55")), ["a1_harbour/2021-03-03T23:55:00Z"])
        XCTAssertEqual(ids(Fixtures.get("/updates/12:00?article=a2_summit")), ["a2_summit/2021-03-04T12:00:00Z"])
    }

    func testUpdatesAtATimeAre404WhenEmptyAnd400WhenNotATime() {
        XCTAssertEqual(Fixtures.get("/updates/2021-03-05").status, 404)
        XCTAssertEqual(Fixtures.get("/updates/07:00").status, 404)
        for bad in ["/updates/noon", "/updates/2021-02-30", "/updates/25:00", "/updates/2021-03-04T24", "/updates/2021-3-4"] {
            let response = Fixtures.get(bad)
            XCTAssertEqual(response.status, 400, bad)
            XCTAssertEqual(Fixtures.header(response, "Content-Type"), "application/problem+json")
        }
    }
}
