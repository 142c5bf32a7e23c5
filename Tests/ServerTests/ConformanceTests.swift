import Foundation
import Glibc
import Store
import XCTest

/// The built server over real sockets: each HTTP/1.1 rule the engine must keep, sent as raw
/// bytes.
final class ConformanceTests: XCTestCase {
    var server: LiveblogProcess!

    override func setUpWithError() throws {
        let corpus = try TestCorpus.make(articles: [TestCorpus.article(id: "harbour", count: 30)])
        server = try LiveblogProcess(articles: corpus)
    }

    override func tearDownWithError() throws {
        if let server {
            defer { try? FileManager.default.removeItem(at: server.articles) }
            XCTAssertEqual(try server.stop(), 0, "SIGTERM stops the server with status 0")
        }
        server = nil
    }

    func get(_ target: String, extra: String = "") -> String {
        "GET \(target) HTTP/1.1\r\nHost: test\r\n\(extra)\r\n"
    }

    func assertProblem(_ response: RawClient.Response, _ status: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, status, response.text, file: file, line: line)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json", file: file, line: line)
        let json = response.json
        XCTAssertEqual(json?["status"] as? Int, status, file: file, line: line)
        XCTAssertNotNil(json?["title"] as? String, file: file, line: line)
        XCTAssertNotNil(json?["detail"] as? String, file: file, line: line)
        XCTAssertNotNil(json?["type"] as? String, file: file, line: line)
    }

    // MARK: - Responses

    func testEveryResponseHasDateAndContentLength() throws {
        let client = try server.connect()
        for target in ["/updates?limit=2", "/nowhere", "/healthz"] {
            let response = try client.exchange(get(target))
            XCTAssertNotNil(response.header("Date"), target)
            XCTAssertEqual(response.header("Content-Length"), String(response.body.count), target)
        }
        let updates = try client.exchange(get("/updates?limit=2"))
        XCTAssertEqual(updates.status, 200)
        XCTAssertEqual(updates.header("Content-Type"), "application/json")
        XCTAssertEqual((updates.json?["updates"] as? [Any])?.count, 2)
        XCTAssertEqual(updates.json?["total"] as? Int, 30)
    }

    func testKeepAliveServesSeveralRequestsOnOneConnection() throws {
        let client = try server.connect()
        for limit in 1...5 {
            let response = try client.exchange(get("/updates?limit=\(limit)"))
            XCTAssertEqual(response.status, 200)
            XCTAssertNil(response.header("Connection"))
            XCTAssertEqual((response.json?["updates"] as? [Any])?.count, limit)
        }
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let client = try server.connect()
        let targets = ["/updates?limit=3", "/nowhere", "/healthz", "/updates?limit=1", "/updates?limit=3"]
        try client.send(targets.map { get($0) }.joined())
        let statuses = try targets.map { _ in try client.readResponse() }
        XCTAssertEqual(statuses.map(\.status), [200, 404, 200, 200, 200])
        XCTAssertEqual((statuses[3].json?["updates"] as? [Any])?.count, 1)
        XCTAssertEqual(statuses[0].body, statuses[4].body)
    }

    func testHeadHasTheHeadersOfGetAndNoBody() throws {
        let client = try server.connect()
        let got = try client.exchange(get("/updates?limit=4"))
        // HEAD then GET in one write: if HEAD carried a body, the GET's status line would be off.
        try client.send("HEAD /updates?limit=4 HTTP/1.1\r\nHost: t\r\n\r\n" + get("/healthz"))
        let head = try client.readResponse(toHEAD: true)
        let next = try client.readResponse()
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, [])
        XCTAssertEqual(head.header("Content-Length"), String(got.body.count))
        XCTAssertEqual(head.header("Content-Type"), got.header("Content-Type"))
        XCTAssertEqual(next.status, 200)
        XCTAssertEqual(next.json?["status"] as? String, "ok")
    }

    func testThousandRequestsOnOneConnectionAvoidTheNagleStall() throws {
        let client = try server.connect()
        let started = Date()
        for _ in 0..<1000 {
            let response = try client.exchange(get("/updates?limit=5"))
            XCTAssertEqual(response.status, 200)
            if response.status != 200 { break }
        }
        // With headers and body written apart and no TCP_NODELAY this takes about 40 s.
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    // MARK: - Connection management

    func testConnectionCloseIsHonoured() throws {
        let client = try server.connect()
        let response = try client.exchange(get("/healthz", extra: "Connection: close\r\n"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Connection")?.lowercased(), "close")
        XCTAssertTrue(try client.isClosedByServer())
    }

    func testHTTP10ClosesByDefault() throws {
        let client = try server.connect()
        let response = try client.exchange("GET /healthz HTTP/1.0\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Connection")?.lowercased(), "close")
        XCTAssertTrue(try client.isClosedByServer())
    }

    func testHTTP10KeepAliveOnRequest() throws {
        let client = try server.connect()
        for _ in 0..<3 {
            let response = try client.exchange("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("Connection")?.lowercased(), "keep-alive")
        }
    }

    func testExpectContinueGetsContinueBeforeTheBody() throws {
        let client = try server.connect()
        try client.send("POST /updates HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n")
        let interim = try client.readResponse()
        XCTAssertEqual(interim.status, 100)
        try client.send("hello world")
        let final = try client.readResponse()
        assertProblem(final, 405)
        XCTAssertEqual(try client.exchange(get("/healthz")).status, 200, "the connection stays in step after the body")
    }

    func testExpectContinueWithTooLargeBodyGetsFinalStatusInstead() throws {
        let client = try server.connect()
        let response = try client.exchange("POST /updates HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 999999999\r\n\r\n")
        assertProblem(response, 413)
    }

    func testChunkedBodyIsReadAndTheConnectionStaysInStep() throws {
        let client = try server.connect()
        try client.send("POST /updates HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n"
            + get("/healthz"))
        assertProblem(try client.readResponse(), 405)
        XCTAssertEqual(try client.readResponse().status, 200)
    }

    func testContentLengthBodyIsReadAndTheConnectionStaysInStep() throws {
        let client = try server.connect()
        try client.send("DELETE /updates HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nGET " + get("/healthz"))
        let refused = try client.readResponse()
        assertProblem(refused, 405)
        XCTAssertNotNil(refused.header("Allow"))
        XCTAssertEqual(try client.readResponse().status, 200)
    }

    // MARK: - Request forms

    func testAbsoluteFormTarget() throws {
        let client = try server.connect()
        let absolute = try client.exchange("GET http://example.org/updates?limit=2 HTTP/1.1\r\nHost: example.org\r\n\r\n")
        let origin = try client.exchange(get("/updates?limit=2"))
        XCTAssertEqual(absolute.status, 200)
        XCTAssertEqual(absolute.body, origin.body)
    }

    func testOptionsAsterisk() throws {
        let client = try server.connect()
        let response = try client.exchange("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertTrue([200, 204].contains(response.status))
        XCTAssertTrue(response.header("Allow")?.contains("GET") ?? false)
        XCTAssertEqual(try client.exchange(get("/healthz")).status, 200)
    }

    func testTraceIsRefused() throws {
        let client = try server.connect()
        let response = try client.exchange("TRACE /updates HTTP/1.1\r\nHost: t\r\n\r\n")
        assertProblem(response, 405)
        XCTAssertFalse(response.header("Allow")?.contains("TRACE") ?? true)
    }

    func testUnknownPathIs404Problem() throws {
        assertProblem(try server.connect().exchange(get("/no/such/thing")), 404)
    }

    // MARK: - Refusals

    func testMissingHostIs400AndCloses() throws {
        let client = try server.connect()
        assertProblem(try client.exchange("GET /healthz HTTP/1.1\r\n\r\n"), 400)
        XCTAssertTrue(try client.isClosedByServer())
    }

    func testOtherVersionsAre505() throws {
        assertProblem(try server.connect().exchange("GET /healthz HTTP/2.0\r\nHost: t\r\n\r\n"), 505)
        assertProblem(try server.connect().exchange("GET /healthz HTTP/3.1\r\nHost: t\r\n\r\n"), 505)
    }

    func testLongRequestLineIs414() throws {
        let target = "/updates?q=" + String(repeating: "x", count: 9000)
        assertProblem(try server.connect().exchange(get(target)), 414)
    }

    func testTooManyOrTooLargeHeadersAre431() throws {
        let many = (0..<150).map { "X-Field-\($0): v\r\n" }.joined()
        assertProblem(try server.connect().exchange(get("/healthz", extra: many)), 431)
        let large = "X-Large: " + String(repeating: "y", count: 20000) + "\r\n"
        assertProblem(try server.connect().exchange(get("/healthz", extra: large)), 431)
    }

    func testUnknownTransferCodingIs501() throws {
        let client = try server.connect()
        assertProblem(try client.exchange("POST /updates HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n"), 501)
    }

    func testProblemDetailQuotingTheClientStaysValidJSON() throws {
        let client = try server.connect()
        let response = try client.exchange("POST /updates HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: x\"\t\\q\r\n\r\n")
        assertProblem(response, 501)
        XCTAssertTrue((response.json?["detail"] as? String)?.contains("x\"\t\\q") ?? false, response.text)
    }

    func testRequestSmugglingShapesAre400AndClose() throws {
        for extra in ["Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
                      "Content-Length: 4\r\nContent-Length: 5\r\n",
                      "Content-Length: 4\r\nContent-Length: 4\r\n"] {
            let client = try server.connect()
            assertProblem(try client.exchange("POST /updates HTTP/1.1\r\nHost: t\r\n\(extra)\r\nabcd"), 400)
            XCTAssertTrue(try client.isClosedByServer(), extra)
        }
    }

    func testBadBytesAre400() throws {
        for request in ["GET /healthz HTTP/1.1\r\nHost: t\r\nX-Nul: a\u{0}b\r\n\r\n",
                        "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Fold: a\r\n b\r\n\r\n",
                        "GET /healthz HTTP/1.1\r\nHost: t\r\nX-CR: a\rb\r\n\r\n",
                        "GET /healthz HTTP/1.1\nHost: t\n\n",
                        "GET  /healthz HTTP/1.1\r\nHost: t\r\n\r\n",
                        "GET healthz HTTP/1.1\r\nHost: t\r\n\r\n"] {
            let client = try server.connect()
            assertProblem(try client.exchange(request), 400)
            XCTAssertTrue(try client.isClosedByServer(), request.debugDescription)
        }
    }

    func testMethodNotAllowedNamesTheAllowedOnes() throws {
        let response = try server.connect().exchange("PUT /updates HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        assertProblem(response, 405)
        XCTAssertEqual(response.header("Allow"), "GET, HEAD, OPTIONS")
    }

    // MARK: - RFC 9110 §7.2, RFC 9112 §3.2, §6.3, §7.1, §9.6: each rule whole

    /// Sends `request` followed by a valid request on one connection: the refusal comes with
    /// `Connection: close`, the valid request after it is not answered, and the connection
    /// closes (nothing after an unparseable request can be framed).
    func assertRefusedAndClosed(_ request: String, _ status: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let client = try server.connect()
        try client.send(request + get("/healthz"))
        let response = try client.readResponse()
        assertProblem(response, status, file: file, line: line)
        XCTAssertEqual(response.header("Connection")?.lowercased(), "close", request.debugDescription, file: file, line: line)
        XCTAssertTrue(try client.isClosedByServer(), "closed after \(request.debugDescription)", file: file, line: line)
    }

    func testHostMustBeAURIHostWithAnOptionalPort() throws {
        for host in ["exa mple.org", "example.org:80:80", "example.org:http", "user@example.org", "[::1", "[1::2::3]",
                     "example.org/path", "a%zz"] {
            try assertRefusedAndClosed("GET /healthz HTTP/1.1\r\nHost: \(host)\r\n\r\n", 400)
        }
        let client = try server.connect()
        for host in ["example.org:8080", "[::1]:8443", "[2001:db8::7]", "192.0.2.1", "", "a%20b"] {
            XCTAssertEqual(try client.exchange("GET /healthz HTTP/1.1\r\nHost: \(host)\r\n\r\n").status, 200, host)
        }
    }

    func testTheRequestTargetMustKeepItsFormsGrammar() throws {
        for target in ["/a#frag", "/a%zz", "/a|b", "/{x}", "http://user@example.org/", "http:///updates", "updates"] {
            try assertRefusedAndClosed("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n", 400)
        }
        try assertRefusedAndClosed("GET * HTTP/1.1\r\nHost: t\r\n\r\n", 400)
    }

    func testContentLengthIsOneNumberAndOneTooLargeToHoldIs400() throws {
        try assertRefusedAndClosed("POST /updates HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999999999\r\n\r\n", 400)
        try assertRefusedAndClosed("POST /updates HTTP/1.1\r\nHost: t\r\nContent-Length: 1 2\r\n\r\n", 400)
        try assertRefusedAndClosed("POST /updates HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\n", 400)
        try assertRefusedAndClosed("POST /updates HTTP/1.1\r\nHost: t\r\nContent-Length: 65537\r\n\r\n", 413)
    }

    func testTheChunkSizeLineIsHeldToItsGrammar() throws {
        let head = "POST /updates HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        for body in ["4 \r\nwiki\r\n0\r\n\r\n", " 4\r\nwiki\r\n0\r\n\r\n", "4;\r\nwiki\r\n0\r\n\r\n", "0x4\r\nwiki\r\n0\r\n\r\n",
                     "4;a=b c\r\nwiki\r\n0\r\n\r\n", "4\nwiki\r\n0\r\n\r\n", "4\r\nwikiX\r\n0\r\n\r\n",
                     "10000000000000000\r\n", "0\r\nBad Trailer: x\r\n\r\n"] {
            try assertRefusedAndClosed(head + body, 400)
        }
        try assertRefusedAndClosed(head + "10001\r\n", 413)
        // Extensions and trailers in their grammar are read and ignored; the connection stays in step.
        let client = try server.connect()
        try client.send(head + "4 ; name = \"quoted \\\" value\" ; flag\r\nwiki\r\n0\r\nX-Sum: 1\r\n\r\n" + get("/healthz"))
        assertProblem(try client.readResponse(), 405)
        XCTAssertEqual(try client.readResponse().status, 200)
    }

    func testFramingThatCannotBeTrustedIsRefusedAndCloses() throws {
        for fields in ["Transfer-Encoding: chunked, gzip\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                       "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", "Content-Length: 4, 4\r\n"] {
            try assertRefusedAndClosed("POST /updates HTTP/1.1\r\nHost: t\r\n\(fields)\r\n", 400)
        }
        try assertRefusedAndClosed("POST /updates HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501)
    }

    func testEveryUnparseableRequestClosesTheConnection() throws {
        for request in ["GET /healthz HTTP/1.1\r\nHost: t\r\nX-Nul: a\u{0}b\r\n\r\n", "GET /healthz HTTP/1.1\nHost: t\n\n",
                        "GET /healthz HTTP/1.1\r\n Host: t\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost : t\r\n\r\n",
                        "GET /healthz HTTP/9.9\r\nHost: t\r\n\r\n", "GET /healthz HTTP/1.1\r\nExpect: tea\r\nHost: t\r\n\r\n"] {
            let status = request.contains("9.9") ? 505 : request.contains("tea") ? 417 : 400
            try assertRefusedAndClosed(request, status)
        }
    }

    // MARK: - Back-pressure

    func testManyPipelinedRequestsFromASlowReaderAreAllAnswered() throws {
        let client = try server.connect()
        let count = 2000
        // Written before anything is read: the server must stop reading rather than buffer
        // without bound, and resume as the answers drain.
        let batch = (0..<count).map { get("/updates?limit=\($0 % 7 + 1)") }.joined()
        let writer = Thread { try? client.send(batch) }
        writer.start()
        Thread.sleep(forTimeInterval: 0.3)
        for index in 0..<count {
            let response = try client.readResponse()
            XCTAssertEqual((response.json?["updates"] as? [Any])?.count, index % 7 + 1)
            if response.status != 200 { break }
        }
    }

    func testHalfClosedClientStillGetsEveryAnswer() throws {
        let client = try server.connect()
        let count = 300
        // About 2 MB of answers, more than the socket takes at once, and then no more input.
        try client.send((0..<count).map { _ in get("/updates?limit=30") }.joined())
        client.shutdownWrite()
        Thread.sleep(forTimeInterval: 0.3)
        for _ in 0..<count {
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            if response.status != 200 { break }
        }
        XCTAssertTrue(try client.isClosedByServer())
    }

    // MARK: - Metrics

    func testMetricsCountResponsesByClass() throws {
        let client = try server.connect()
        _ = try client.exchange(get("/nowhere"))
        let metrics = try client.exchange(get("/metrics"))
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.text.contains("liveblog_http_responses_total{class=\"4xx\"}"), metrics.text)
        XCTAssertTrue(metrics.text.contains("liveblog_connections_open"), metrics.text)
        XCTAssertTrue(metrics.text.contains("liveblog_http_response_bytes_total"), metrics.text)
        XCTAssertFalse(metrics.text.contains("liveblog_http_response_bytes_total 0\n"), metrics.text)
    }
}
