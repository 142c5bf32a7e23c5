@testable import Routes
import XCTest

/// `/metrics` labels requests with the route's template: a closed list, whatever the path.
final class RouteTemplateTests: XCTestCase {
    func testPathsMapToTheirTemplateAndQueriesAreIgnored() {
        XCTAssertEqual(RouteTemplate.of(target: "/updates?limit=5&q=x"), "/updates")
        XCTAssertEqual(RouteTemplate.of(target: "/updates/2021-03-04T12"), "/updates/{time}")
        XCTAssertEqual(RouteTemplate.of(target: "/updates/14:30"), "/updates/{time}")
        XCTAssertEqual(RouteTemplate.of(target: "/actors/ana-varga"), "/actors/{id}")
        XCTAssertEqual(RouteTemplate.of(target: "/actors/%61na-varga"), "/actors/{id}")
        XCTAssertEqual(RouteTemplate.of(target: "/articles/a1_harbour"), "/articles/{id}")
        XCTAssertEqual(RouteTemplate.of(target: "/reader.js"), "/reader.js")
        XCTAssertEqual(RouteTemplate.of(target: "http://example.test/readyz"), "/readyz")
        XCTAssertEqual(RouteTemplate.of(target: "/"), "/")
    }

    func testPathsNoRouteServesShareOneLabel() {
        for target in ["/nowhere", "/updates/", "/updates/2021/extra", "/actors/", "/actors/a/b", "/%zz", "/metrics/x", "*"] {
            XCTAssertEqual(RouteTemplate.of(target: target), RouteTemplate.unmatched, target)
        }
    }

    func testEveryEndpointTheIndexListsHasATemplate() throws {
        let endpoints = try XCTUnwrap(Fixtures.json(Fixtures.get("/"))["endpoints"] as? [String])
        XCTAssertFalse(endpoints.isEmpty)
        for endpoint in endpoints {
            XCTAssertTrue(RouteTemplate.all.contains(endpoint), "\(endpoint) has no template: add it to RouteTemplate")
        }
    }

    func testTheRouterReportsTheTemplateOnEveryResponse() {
        XCTAssertEqual(Fixtures.get("/actors/ana-varga").route, "/actors/{id}")
        XCTAssertEqual(Fixtures.get("/actors/nobody").route, "/actors/{id}", "a 404 of a route keeps its route")
        XCTAssertEqual(Fixtures.get("/updates/not-a-time").route, "/updates/{time}")
        XCTAssertEqual(Fixtures.get("/no/such/thing").route, RouteTemplate.unmatched)
        let options = Fixtures.router.respond(to: Request(method: "OPTIONS", target: "/updates/14:30"))
        XCTAssertEqual(options.route, "/updates/{time}")
        let refused = Fixtures.router.respond(to: Request(method: "DELETE", target: "/actors"))
        XCTAssertEqual(refused.status, 405)
        XCTAssertEqual(refused.route, "/actors")
    }
}
