import XCTest
@testable import Routes
import Store

final class RouterTests: XCTestCase {
    func testUnknownPathIs404Problem() {
        for target in ["/nothing", "/updates/2021-03-04/extra", "/actors/"] {
            let response = Fixtures.get(target)
            XCTAssertEqual(response.status, 404, target)
            XCTAssertEqual(Fixtures.json(response)["status"] as? Int, 404)
        }
    }

    func testWrongMethodIs405WithAllow() {
        for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE"] {
            let response = Fixtures.router.respond(to: Request(method: method, target: "/updates"))
            XCTAssertEqual(response.status, 405, method)
            XCTAssertEqual(Fixtures.header(response, "Allow"), "GET, HEAD, OPTIONS")
            XCTAssertEqual(Fixtures.header(response, "Content-Type"), "application/problem+json")
        }
    }

    func testHeadAnswersLikeGetAndOptionsListsMethods() {
        let get = Fixtures.get("/actors")
        let head = Fixtures.router.respond(to: Request(method: "HEAD", target: "/actors"))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, get.body, "the server drops the body of a HEAD; its length must match the GET's")
        let options = Fixtures.router.respond(to: Request(method: "OPTIONS", target: "/updates"))
        XCTAssertEqual(options.status, 204)
        XCTAssertEqual(Fixtures.header(options, "Allow"), "GET, HEAD, OPTIONS")
    }

    func testPercentEncodedPathsAndQueriesAreDecoded() {
        XCTAssertEqual(Fixtures.get("/%61ctors/ana%2Dvarga").status, 200)
        XCTAssertEqual(Fixtures.get("/updates?%61ctor=ana-varga").status, 200)
        XCTAssertEqual((Fixtures.json(Fixtures.get("/updates?actor=ana%2Dvarga"))["total"] as? Int), 1)
        XCTAssertEqual(Fixtures.get("/updates?q=%ZZ").status, 400)
        XCTAssertEqual(Fixtures.get("/updates/%C0%AF").status, 400, "not UTF-8")
    }

    func testAbsoluteFormTargetsRouteByTheirPath() {
        XCTAssertEqual(Fixtures.get("http://example.test/actors?kind=person").status, 200)
        XCTAssertEqual(Fixtures.get("http://example.test").status, 200)
    }

    func testOperationalEndpoints() {
        XCTAssertEqual(Fixtures.get("/healthz").status, 200)
        let ready = Fixtures.get("/readyz")
        XCTAssertEqual(ready.status, 200)
        XCTAssertEqual(Fixtures.json(ready)["updates"] as? Int, 5)
        let metrics = Router(store: Fixtures.store, metrics: FixedMetrics()).respond(to: Request(method: "GET", target: "/metrics"))
        XCTAssertEqual(metrics.status, 200)
        XCTAssertEqual(String(decoding: metrics.body, as: UTF8.self), "# TYPE liveblog_updates gauge\nliveblog_updates 5\n")
        XCTAssertFalse(metrics.cacheable, "metrics change between requests")
        let spec = Fixtures.get("/openapi.yaml")
        XCTAssertEqual(spec.status, 200)
        XCTAssertTrue(String(decoding: spec.body, as: UTF8.self).hasPrefix("openapi: 3.1"))
    }

    func testEqualRequestsShareOneEncodedBodyAndConditionalGetsGet304() throws {
        let first = Fixtures.get("/updates?limit=3")
        let second = Fixtures.get("/updates?limit=3")
        XCTAssertTrue(first.cacheable)
        first.body.withUnsafeBufferPointer { a in
            second.body.withUnsafeBufferPointer { b in
                XCTAssertEqual(a.baseAddress, b.baseAddress, "the cached body is reused, not re-encoded")
            }
        }
        let etag = try XCTUnwrap(Fixtures.header(first, "ETag"))
        let conditional = Fixtures.get("/updates?limit=3", headers: [("If-None-Match", etag)])
        XCTAssertEqual(conditional.status, 304)
        XCTAssertTrue(conditional.body.isEmpty)
        XCTAssertEqual(Fixtures.get("/updates?limit=3", headers: [("If-None-Match", "\"other\"")]).status, 200)
    }
}

/// The server's lines, as the router is given them: it serves them as they are.
private struct FixedMetrics: MetricsSource {
    func prometheusLines() -> [String] { ["# TYPE liveblog_updates gauge", "liveblog_updates 5"] }
}
