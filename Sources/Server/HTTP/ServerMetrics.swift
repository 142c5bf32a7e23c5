import Glibc
import Routes
import Synchronization

/// Everything `GET /metrics` shows, in the Prometheus text format: the loops' counters
/// (summed at scrape time), the corpus and its loads, `/stream`, the access log, the build.
final class ServerMetrics: MetricsSource {
    private let loops: Mutex<[LoopCounters]> = Mutex([])
    let corpus = Mutex(CorpusMetrics())
    let streamSubscriberCount = Atomic<Int>(0)
    let streamEventCount = Atomic<Int>(0)
    let streams = StreamCounters()
    /// Access log lines dropped because the writer fell behind.
    let accessLogDropped = Atomic<Int>(0)

    /// A new set of counters for a loop that is starting.
    func makeLoopCounters() -> LoopCounters {
        let counters = LoopCounters()
        loops.withLock { $0.append(counters) }
        return counters
    }

    func prometheusLines() -> [String] {
        let all = loops.withLock { $0 }
        var text = PrometheusText()
        text.family("liveblog_build_info", "gauge", "Always 1; the version of the running binary is its label.")
        text.sample("liveblog_build_info", ["version": BuildInfo.version], 1)
        corpus.withLock { $0.render(into: &text) }
        Self.renderRequests(all, into: &text)
        func sum(_ value: (LoopCounters) -> Int) -> Int { all.reduce(0) { $0 + value($1) } }
        text.family("liveblog_http_response_bytes_total", "counter", "Bytes of responses written to sockets.")
        text.sample("liveblog_http_response_bytes_total", sum { $0.bytesWritten.load(ordering: .relaxed) })
        text.family("liveblog_connections_accepted_total", "counter", "Connections accepted.")
        text.sample("liveblog_connections_accepted_total", sum { $0.accepted.load(ordering: .relaxed) })
        text.family("liveblog_connections_open", "gauge", "Connections open now.")
        text.sample("liveblog_connections_open", sum { $0.open.load(ordering: .relaxed) })
        text.family("liveblog_accept_errors_total", "counter", "Accepts that failed for want of descriptors or memory.")
        text.sample("liveblog_accept_errors_total", sum { $0.acceptErrors.load(ordering: .relaxed) })
        text.family("liveblog_tls_handshakes_total", "counter", "TLS handshakes, by result.")
        text.sample("liveblog_tls_handshakes_total", ["result": "completed"], sum { $0.tlsHandshakesCompleted.load(ordering: .relaxed) })
        text.sample("liveblog_tls_handshakes_total", ["result": "failed"], sum { $0.tlsHandshakesFailed.load(ordering: .relaxed) })
        text.family("liveblog_stream_subscribers", "gauge", "Clients subscribed to /stream now.")
        text.sample("liveblog_stream_subscribers", streamSubscriberCount.load(ordering: .relaxed))
        text.family("liveblog_stream_events_sent_total", "counter", "Events written to /stream subscribers.")
        text.sample("liveblog_stream_events_sent_total", streamEventCount.load(ordering: .relaxed))
        streams.render(into: &text)
        text.family("liveblog_access_log_dropped_lines_total", "counter", "Access log lines dropped because standard output fell behind.")
        text.sample("liveblog_access_log_dropped_lines_total", accessLogDropped.load(ordering: .relaxed))
        text.family("liveblog_event_loops", "gauge", "Event loops serving connections.")
        text.sample("liveblog_event_loops", all.count)
        return text.lines
    }

    /// Requests by route, method and status; the same by status class; latency by route.
    private static func renderRequests(_ loops: [LoopCounters], into text: inout PrometheusText) {
        let labels = MetricLabels.self
        func total(_ cells: KeyPath<LoopCounters, CounterCells>, _ index: Int) -> Int {
            loops.reduce(0) { $0 + $1[keyPath: cells].value(index) }
        }
        text.family("liveblog_http_requests_total", "counter", "Requests answered, by route template, method and status.")
        var byClass = [0, 0, 0, 0, 0]
        for (route, routeName) in labels.routes.enumerated() {
            for (status, statusName) in labels.statuses.enumerated() {
                for (method, methodName) in labels.methods.enumerated() {
                    let count = total(\.requests, (route * labels.statuses.count + status) * labels.methods.count + method)
                    guard count > 0 else { continue }
                    text.sample("liveblog_http_requests_total", ["route": routeName, "method": methodName, "status": statusName], count)
                    byClass[min(max(Int(statusName.prefix(1))! - 1, 0), 4)] += count
                }
            }
        }
        text.family("liveblog_http_responses_total", "counter", "Responses written, by status class.")
        for (index, count) in byClass.enumerated() {
            text.sample("liveblog_http_responses_total", ["class": "\(index + 1)xx"], count)
        }
        text.family("liveblog_http_request_duration_seconds", "histogram",
                    "Time from a complete request head to its response queued for the socket, by route template.")
        let buckets = labels.latencyBounds.count + 1
        for (route, routeName) in labels.routes.enumerated() {
            let counts = (0..<buckets).map { total(\.latencyBuckets, route * buckets + $0) }
            guard counts.contains(where: { $0 > 0 }) else { continue }
            text.histogram("liveblog_http_request_duration_seconds", [("route", routeName)], bounds: labels.latencyBounds,
                           counts: counts, sum: Double(total(\.latencyNanoseconds, route)) / 1e9)
        }
    }
}

/// The hooks the rest of the server calls: the corpus loader, and the `/stream` endpoint.
extension ServerMetrics {
    /// A load of the articles folder ended (`reload`: a rescan after the first load).
    func recordLoad(reload: Bool, seconds: Double, succeeded: Bool) {
        let now = Double(time(nil))
        corpus.withLock { $0.recordLoad(reload: reload, seconds: seconds, succeeded: succeeded, at: now) }
    }

    /// What the store now serves, and how many files of the folder were refused.
    func setCorpus(articles: Int, updates: Int, actors: Int, refusedFiles: Int) {
        corpus.withLock { $0.set(articles: articles, updates: updates, actors: actors, refusedFiles: refusedFiles) }
    }

    /// A `/stream` client subscribed (+1) or left (-1).
    func streamSubscribers(delta: Int) {
        streamSubscriberCount.add(delta, ordering: .relaxed)
    }

    /// `n` events were written to `/stream` subscribers.
    func streamEventsSent(_ n: Int) {
        streamEventCount.add(n, ordering: .relaxed)
    }
}
