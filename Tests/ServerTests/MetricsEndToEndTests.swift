import Foundation
import Glibc
import XCTest

/// `/metrics` of the real binary after real traffic: every family is there, passes
/// `promtool check metrics`, and moves when what it counts happens.
final class MetricsEndToEndTests: XCTestCase {
    static let families: [String: String] = [
        "liveblog_build_info": "gauge",
        "liveblog_articles": "gauge", "liveblog_updates": "gauge", "liveblog_actors": "gauge",
        "liveblog_corpus_files_refused": "gauge",
        "liveblog_corpus_loads_total": "counter",
        "liveblog_corpus_load_duration_seconds": "histogram",
        "liveblog_corpus_last_success_timestamp_seconds": "gauge",
        "liveblog_http_requests_total": "counter",
        "liveblog_http_responses_total": "counter",
        "liveblog_http_request_duration_seconds": "histogram",
        "liveblog_http_response_bytes_total": "counter",
        "liveblog_connections_accepted_total": "counter",
        "liveblog_connections_open": "gauge",
        "liveblog_accept_errors_total": "counter",
        "liveblog_tls_handshakes_total": "counter",
        "liveblog_stream_subscribers": "gauge",
        "liveblog_stream_events_sent_total": "counter",
        "liveblog_access_log_dropped_lines_total": "counter",
        "liveblog_event_loops": "gauge",
    ]

    func scrape(_ server: LiveblogProcess) throws -> MetricsScrape {
        let response = try server.connect().exchange("GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        return MetricsScrape(response.text)
    }

    func testEveryFamilyIsPresentPassesPromtoolAndMovesWithTraffic() throws {
        let articles = try TestCorpus.make(articles: [TestCorpus.article(id: "m1_ferries", count: 3)],
                                           extraFiles: ["m0_empty.txt": ""])
        defer { try? FileManager.default.removeItem(at: articles) }
        let server = try LiveblogProcess(articles: articles)
        let before = try scrape(server)
        try before.checkWithPromtool()
        for (family, type) in Self.families {
            XCTAssertEqual(before.families[family], type, "\(family) should be a \(type)")
        }
        let version = try ChildProcess.run(try LiveblogProcess.locateBinary().path, ["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(before["liveblog_build_info{version=\"\(version.output.trimmingCharacters(in: .whitespacesAndNewlines))\"}"], 1)
        XCTAssertEqual(before["liveblog_articles"], 1)
        XCTAssertEqual(before["liveblog_updates"], 3)
        XCTAssertEqual(before["liveblog_corpus_files_refused"], 1, "the empty file is refused")
        XCTAssertEqual(before["liveblog_corpus_loads_total{kind=\"initial\",result=\"success\"}"], 1)
        XCTAssertEqual(before["liveblog_corpus_load_duration_seconds_count{kind=\"initial\"}"], 1)
        XCTAssertGreaterThan(before["liveblog_corpus_last_success_timestamp_seconds"], 1_600_000_000)
        XCTAssertEqual(before["liveblog_event_loops"], 2)

        let client = try server.connect()
        var etag = ""
        for _ in 0..<3 {
            let page = try client.exchange("GET /updates?limit=2 HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(page.status, 200)
            etag = page.header("ETag") ?? ""
        }
        XCTAssertEqual(try client.exchange("GET /updates?limit=2 HTTP/1.1\r\nHost: t\r\nIf-None-Match: \(etag)\r\n\r\n").status, 304)
        XCTAssertEqual(try client.exchange("GET /updates/2021-03-04 HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        XCTAssertEqual(try client.exchange("GET /actors/nobody-at-all HTTP/1.1\r\nHost: t\r\n\r\n").status, 404)
        XCTAssertEqual(try client.exchange("GET /no/such/path/4711 HTTP/1.1\r\nHost: t\r\n\r\n").status, 404)
        XCTAssertEqual(try client.exchange("DELETE /updates HTTP/1.1\r\nHost: t\r\n\r\n").status, 405)
        XCTAssertEqual(try client.exchange("BREW /updates HTTP/1.1\r\nHost: t\r\n\r\n").status, 405)
        XCTAssertEqual(try client.exchange("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n", toHEAD: true).status, 200)
        XCTAssertEqual(try server.connect().exchange("GET /updates HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n").status, 400)

        try Data(JSONEncoder().encode(TestCorpus.article(id: "m2_trains", count: 2)))
            .write(to: articles.appendingPathComponent("m2_trains.json"))
        kill(server.process.processIdentifier, SIGHUP)
        var after = try scrape(server)
        let deadline = Date().addingTimeInterval(10)
        while after["liveblog_corpus_loads_total{kind=\"reload\",result=\"success\"}"] < 1, Date() < deadline {
            usleep(50_000)
            after = try scrape(server)
        }
        try after.checkWithPromtool()
        let moved = { (series: String) in after[series] - before[series] }
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"/updates\",method=\"GET\",status=\"200\"}"), 3)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"/updates\",method=\"GET\",status=\"304\"}"), 1)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"/updates/{time}\",method=\"GET\",status=\"200\"}"), 1)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"/actors/{id}\",method=\"GET\",status=\"404\"}"), 1)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"(unmatched)\",method=\"GET\",status=\"404\"}"), 1)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"/updates\",method=\"DELETE\",status=\"405\"}"), 1)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"/updates\",method=\"other\",status=\"405\"}"), 1)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"/healthz\",method=\"HEAD\",status=\"200\"}"), 1)
        XCTAssertEqual(moved("liveblog_http_requests_total{route=\"(none)\",method=\"other\",status=\"400\"}"), 1)
        XCTAssertGreaterThanOrEqual(moved("liveblog_http_responses_total{class=\"4xx\"}"), 5)
        XCTAssertEqual(after.labelValues("liveblog_http_requests_total", "route").subtracting(
            ["/", "/updates", "/updates/{time}", "/actors", "/actors/{id}", "/articles", "/articles/{id}", "/stream",
             "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/reader.css", "/reader.js", "(unmatched)", "(none)"]), [],
            "route labels are templates, never raw paths")

        let histogram = "liveblog_http_request_duration_seconds"
        XCTAssertEqual(moved("\(histogram)_count{route=\"/updates\"}"), 6, "three GETs, the 304, the DELETE and the BREW")
        XCTAssertEqual(after["\(histogram)_bucket{route=\"/updates\",le=\"+Inf\"}"], after["\(histogram)_count{route=\"/updates\"}"])
        XCTAssertGreaterThan(moved("\(histogram)_sum{route=\"/updates\"}"), 0)
        XCTAssertGreaterThan(moved("liveblog_http_response_bytes_total"), 1000)
        XCTAssertGreaterThanOrEqual(moved("liveblog_connections_accepted_total"), 3)
        XCTAssertGreaterThanOrEqual(after["liveblog_connections_open"], 2, "the client and the scrape are open")

        XCTAssertEqual(after["liveblog_corpus_loads_total{kind=\"reload\",result=\"success\"}"], 1)
        XCTAssertEqual(after["liveblog_corpus_load_duration_seconds_count{kind=\"reload\"}"], 1)
        XCTAssertEqual(after["liveblog_articles"], 2, "the reload brought the new article")
        XCTAssertEqual(after["liveblog_updates"], 5)
        XCTAssertGreaterThanOrEqual(after["liveblog_corpus_last_success_timestamp_seconds"],
                                    before["liveblog_corpus_last_success_timestamp_seconds"])
        XCTAssertEqual(try server.stop(), 0)
    }

    func testTLSHandshakesAreCountedByResult() throws {
        guard let curl = TestCertificates.which("curl") else { throw Failure("this test needs `curl` on PATH (apt-get install curl)") }
        let certificates = try TestCertificates()
        let pair = try certificates.makeServerCertificate(named: "metrics")
        let articles = try TestCorpus.make(articles: [TestCorpus.article(id: "m3_tls", count: 1)])
        defer { try? FileManager.default.removeItem(at: articles) }
        // No readiness probe: its own handshake would be counted.
        let server = try LiveblogProcess(articles: articles, extraArguments: ["--tls-cert", pair.certificate, "--tls-key", pair.key],
                                         waitUntilReady: false)
        let url = "https://localhost:\(server.port)/metrics"
        let refused = try ChildProcess.run(curl, ["--silent", "--max-time", "10", url])
        XCTAssertNotEqual(refused.status, 0, "curl without the test CA must refuse the certificate")
        let scraped = try ChildProcess.run(curl, ["--silent", "--show-error", "--max-time", "10", "--cacert", certificates.caCertificate, url])
        XCTAssertEqual(scraped.status, 0, scraped.output)
        let metrics = MetricsScrape(scraped.output)
        XCTAssertEqual(metrics["liveblog_tls_handshakes_total{result=\"completed\"}"], 1, "the scrape's own handshake")
        XCTAssertEqual(metrics["liveblog_tls_handshakes_total{result=\"failed\"}"], 1, "the refused one")
        XCTAssertEqual(try server.stop(), 0)
    }
}
