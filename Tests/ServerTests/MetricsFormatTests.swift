@testable import Server
import XCTest

/// The pieces `/metrics` is made of: closed label lists, histograms, the corpus' loads.
final class MetricsFormatTests: XCTestCase {
    func testMethodsAndStatusesOutsideTheListsShareALabel() {
        func slot(_ method: String) -> Int { Array(method.utf8).withUnsafeBytes { MetricLabels.methodSlot($0) } }
        XCTAssertEqual(MetricLabels.methods[slot("GET")], "GET")
        XCTAssertEqual(MetricLabels.methods[slot("HEAD")], "HEAD")
        XCTAssertEqual(MetricLabels.methods[slot("GETS")], "other")
        XCTAssertEqual(MetricLabels.methods[slot("BREW")], "other")
        XCTAssertEqual(MetricLabels.statuses[MetricLabels.statusSlot(404)], "404")
        XCTAssertEqual(MetricLabels.statuses[MetricLabels.statusSlot(418)], "4xx")
        XCTAssertEqual(MetricLabels.statuses[MetricLabels.statusSlot(599)], "5xx")
        XCTAssertEqual(MetricLabels.routes[MetricLabels.routeSlot(nil)], "(none)")
        XCTAssertEqual(MetricLabels.routes[MetricLabels.routeSlot("/updates/{time}")], "/updates/{time}")
    }

    func testAHistogramIsCumulativeWithSumAndCount() {
        var text = PrometheusText()
        text.histogram("x_seconds", [("route", "/a\"b")], bounds: [0.1, 1], counts: [2, 0, 3], sum: 7.5)
        XCTAssertEqual(text.lines, [
            "x_seconds_bucket{route=\"/a\\\"b\",le=\"0.1\"} 2",
            "x_seconds_bucket{route=\"/a\\\"b\",le=\"1\"} 2",
            "x_seconds_bucket{route=\"/a\\\"b\",le=\"+Inf\"} 5",
            "x_seconds_sum{route=\"/a\\\"b\"} 7.5",
            "x_seconds_count{route=\"/a\\\"b\"} 5",
        ])
    }

    func testLoadsAreCountedByKindAndResultAndOnlySuccessesStampTheTime() {
        var corpus = CorpusMetrics()
        corpus.recordLoad(reload: false, seconds: 0.3, succeeded: true, at: 1000)
        corpus.recordLoad(reload: true, seconds: 45, succeeded: false, at: 2000)
        XCTAssertEqual(corpus.loads, [[1, 0], [0, 1]])
        XCTAssertEqual(corpus.lastSuccess, 1000)
        var text = PrometheusText()
        corpus.render(into: &text)
        XCTAssertTrue(text.lines.contains("liveblog_corpus_load_duration_seconds_bucket{kind=\"initial\",le=\"0.1\"} 0"))
        XCTAssertTrue(text.lines.contains("liveblog_corpus_load_duration_seconds_bucket{kind=\"initial\",le=\"0.5\"} 1"))
        XCTAssertTrue(text.lines.contains("liveblog_corpus_load_duration_seconds_bucket{kind=\"reload\",le=\"30\"} 0"))
        XCTAssertTrue(text.lines.contains("liveblog_corpus_load_duration_seconds_bucket{kind=\"reload\",le=\"60\"} 1"))
        XCTAssertTrue(text.lines.contains("liveblog_corpus_last_success_timestamp_seconds 1000"))
    }

    func testStreamHooksMoveTheirFamilies() {
        let metrics = ServerMetrics()
        metrics.streamSubscribers(delta: 1)
        metrics.streamSubscribers(delta: 1)
        metrics.streamSubscribers(delta: -1)
        metrics.streamEventsSent(3)
        let lines = metrics.prometheusLines()
        XCTAssertTrue(lines.contains("liveblog_stream_subscribers 1"), "\(lines)")
        XCTAssertTrue(lines.contains("liveblog_stream_events_sent_total 3"))
    }
}
