import Routes
import Synchronization

/// Counters shared by every loop: relaxed atomics, so counting costs no lock.
final class ServerMetrics: MetricsSource {
    let connectionsAccepted = Atomic<Int>(0)
    let connectionsOpen = Atomic<Int>(0)
    let acceptErrors = Atomic<Int>(0)
    private let informational = Atomic<Int>(0)
    private let successful = Atomic<Int>(0)
    private let redirection = Atomic<Int>(0)
    private let clientError = Atomic<Int>(0)
    private let serverError = Atomic<Int>(0)

    func connectionOpened() {
        connectionsAccepted.add(1, ordering: .relaxed)
        connectionsOpen.add(1, ordering: .relaxed)
    }

    func connectionClosed() {
        connectionsOpen.subtract(1, ordering: .relaxed)
    }

    func count(status: Int) {
        switch status {
        case ..<200: informational.add(1, ordering: .relaxed)
        case 200..<300: successful.add(1, ordering: .relaxed)
        case 300..<400: redirection.add(1, ordering: .relaxed)
        case 400..<500: clientError.add(1, ordering: .relaxed)
        default: serverError.add(1, ordering: .relaxed)
        }
    }

    func prometheusLines() -> [String] {
        var lines = [
            "# HELP liveblog_http_responses_total Responses written, by status class.",
            "# TYPE liveblog_http_responses_total counter",
        ]
        let counts = [informational.load(ordering: .relaxed), successful.load(ordering: .relaxed),
                      redirection.load(ordering: .relaxed), clientError.load(ordering: .relaxed),
                      serverError.load(ordering: .relaxed)]
        for (index, count) in counts.enumerated() {
            lines.append("liveblog_http_responses_total{class=\"\(index + 1)xx\"} \(count)")
        }
        lines += [
            "# HELP liveblog_connections_accepted_total Connections accepted.",
            "# TYPE liveblog_connections_accepted_total counter",
            "liveblog_connections_accepted_total \(connectionsAccepted.load(ordering: .relaxed))",
            "# HELP liveblog_connections_open Connections open now.",
            "# TYPE liveblog_connections_open gauge",
            "liveblog_connections_open \(connectionsOpen.load(ordering: .relaxed))",
            "# HELP liveblog_accept_errors_total Accepts that failed for want of descriptors or memory.",
            "# TYPE liveblog_accept_errors_total counter",
            "liveblog_accept_errors_total \(acceptErrors.load(ordering: .relaxed))",
        ]
        return lines
    }
}
