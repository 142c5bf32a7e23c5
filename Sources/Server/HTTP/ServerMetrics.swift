import Routes
import Synchronization

/// The counters of one event loop. Only its loop writes them, with a plain load and store
/// (no locked read-modify-write, no cache line shared with another loop); `/metrics`
/// reads every loop's and adds them up.
final class LoopCounters: Sendable {
    private let informational = Atomic<Int>(0)
    private let successful = Atomic<Int>(0)
    private let redirection = Atomic<Int>(0)
    private let clientError = Atomic<Int>(0)
    private let serverError = Atomic<Int>(0)
    let accepted = Atomic<Int>(0)
    let open = Atomic<Int>(0)
    let acceptErrors = Atomic<Int>(0)
    let bytesWritten = Atomic<Int>(0)

    @inline(__always)
    private func bump(_ counter: borrowing Atomic<Int>, by amount: Int = 1) {
        counter.store(counter.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    func connectionOpened() {
        bump(accepted)
        bump(open)
    }

    func connectionClosed() { bump(open, by: -1) }
    func acceptFailed() { bump(acceptErrors) }
    func wrote(_ bytes: Int) { bump(bytesWritten, by: bytes) }

    func count(status: Int) {
        switch status {
        case ..<200: bump(informational)
        case 200..<300: bump(successful)
        case 300..<400: bump(redirection)
        case 400..<500: bump(clientError)
        default: bump(serverError)
        }
    }

    var byClass: [Int] {
        [informational.load(ordering: .relaxed), successful.load(ordering: .relaxed), redirection.load(ordering: .relaxed),
         clientError.load(ordering: .relaxed), serverError.load(ordering: .relaxed)]
    }
}

/// Every loop's counters, rendered in the Prometheus text format for `GET /metrics`.
final class ServerMetrics: MetricsSource {
    private let loops: Mutex<[LoopCounters]> = Mutex([])
    let streams = StreamCounters()

    /// A new set of counters for a loop that is starting.
    func makeLoopCounters() -> LoopCounters {
        let counters = LoopCounters()
        loops.withLock { $0.append(counters) }
        return counters
    }

    func prometheusLines() -> [String] {
        let all = loops.withLock { $0 }
        func sum(_ value: (LoopCounters) -> Int) -> Int { all.reduce(0) { $0 + value($1) } }
        var lines = [
            "# HELP liveblog_http_responses_total Responses written, by status class.",
            "# TYPE liveblog_http_responses_total counter",
        ]
        let classes = all.reduce([0, 0, 0, 0, 0]) { total, loop in zip(total, loop.byClass).map { $0 + $1 } }
        for (index, count) in classes.enumerated() {
            lines.append("liveblog_http_responses_total{class=\"\(index + 1)xx\"} \(count)")
        }
        lines += [
            "# HELP liveblog_connections_accepted_total Connections accepted.",
            "# TYPE liveblog_connections_accepted_total counter",
            "liveblog_connections_accepted_total \(sum { $0.accepted.load(ordering: .relaxed) })",
            "# HELP liveblog_connections_open Connections open now.",
            "# TYPE liveblog_connections_open gauge",
            "liveblog_connections_open \(sum { $0.open.load(ordering: .relaxed) })",
            "# HELP liveblog_accept_errors_total Accepts that failed for want of descriptors or memory.",
            "# TYPE liveblog_accept_errors_total counter",
            "liveblog_accept_errors_total \(sum { $0.acceptErrors.load(ordering: .relaxed) })",
            "# HELP liveblog_http_response_bytes_total Bytes of responses written to sockets.",
            "# TYPE liveblog_http_response_bytes_total counter",
            "liveblog_http_response_bytes_total \(sum { $0.bytesWritten.load(ordering: .relaxed) })",
            "# HELP liveblog_event_loops Event loops serving connections.",
            "# TYPE liveblog_event_loops gauge",
            "liveblog_event_loops \(all.count)",
        ]
        lines += streams.prometheusLines()
        return lines
    }
}
