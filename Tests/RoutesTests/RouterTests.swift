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

    func testPreflightWhereAResourceIsAnd404ElsewhereLikeGet() {
        for target in ["/updates", "/actors/anyone", "/articles", "/articles/a1_harbour", "/stream", "/", "/reader.js"] {
            let options = Fixtures.router.respond(to: Request(method: "OPTIONS", target: target))
            XCTAssertEqual(options.status, 204, target)
            XCTAssertEqual(Fixtures.header(options, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS", target)
            XCTAssertTrue(Fixtures.header(options, "Access-Control-Allow-Headers")?.contains("If-None-Match") == true, target)
        }
        for target in ["/nothing", "/updates/2021-03-04/extra", "/actors/", "/reader.exe"] {
            XCTAssertEqual(Fixtures.router.respond(to: Request(method: "OPTIONS", target: target)).status, 404, target)
        }
    }

    func testPagesLinkToTheNextPageAsTheirNextFieldDoes() throws {
        for target in ["/updates?limit=2", "/actors?limit=1", "/articles?limit=1", "/updates/2021-03-04?limit=1"] {
            let response = Fixtures.get(target)
            let next = try XCTUnwrap(Fixtures.json(response)["next"] as? String, target)
            XCTAssertEqual(Fixtures.header(response, "Link"), "<\(next)>; rel=\"next\"", target)
        }
        let last = Fixtures.get("/updates?limit=500")
        XCTAssertTrue(Fixtures.json(last)["next"] is NSNull)
        XCTAssertNil(Fixtures.header(last, "Link"), "the last page links nowhere")
    }

    func testAnEmptyCursorIsTheFirstPage() {
        for list in ["/updates", "/actors", "/articles", "/updates/2021-03-04"] {
            let first = Fixtures.get(list + "?limit=1")
            let empty = Fixtures.get(list + "?limit=1&cursor=")
            XCTAssertEqual(empty.status, 200, list)
            XCTAssertEqual(empty.body, first.body, list)
        }
        XCTAssertEqual(Fixtures.get("/updates?cursor=nonsense").status, 400)
    }

    func testRootIsThePageForBrowsersAndTheIndexOtherwise() throws {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        let page = Fixtures.get("/", headers: [("Accept", browser)])
        XCTAssertEqual(Fixtures.header(page, "Content-Type"), "text/html; charset=utf-8")
        XCTAssertEqual(Fixtures.header(page, "Vary"), "Accept")
        let html = String(decoding: page.body, as: UTF8.self)
        XCTAssertEqual(html.components(separatedBy: "<script type=\"application/ld+json\">").count - 1, 2,
                       "one JSON-LD block per article")
        XCTAssertTrue(html.contains("reader.js"))
        for accept in [nil, "*/*", "application/json", "text/html;q=0.5, application/json"] {
            let index = Fixtures.get("/", headers: accept.map { [("Accept", $0)] } ?? [])
            XCTAssertEqual(Fixtures.header(index, "Content-Type"), "application/json", accept ?? "no Accept")
            XCTAssertTrue((Fixtures.json(index)["endpoints"] as? [String])?.contains("/articles") == true)
        }
        let script = Fixtures.get("/reader.js")
        XCTAssertEqual(Fixtures.header(script, "Content-Type"), "text/javascript; charset=utf-8")
        XCTAssertEqual(Fixtures.header(script, "Cache-Control"), Router.staticCacheControl)
        XCTAssertFalse(script.body.isEmpty)
    }
}

/// The server's lines, as the router is given them: it serves them as they are.
private struct FixedMetrics: MetricsSource {
    func prometheusLines() -> [String] { ["# TYPE liveblog_updates gauge", "liveblog_updates 5"] }
}
