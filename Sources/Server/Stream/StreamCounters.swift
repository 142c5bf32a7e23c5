import Synchronization

/// What `/metrics` says of `/stream` beyond the subscribers and events sent (which
/// `ServerMetrics` keeps). Updated only on stream work, never on an ordinary request.
final class StreamCounters: Sendable {
    private let opened = Atomic<Int>(0)
    private let published = Atomic<Int>(0)
    private let stalled = Atomic<Int>(0)
    private let resets = Atomic<Int>(0)

    func subscriberOpened() { opened.add(1, ordering: .relaxed) }
    func published(_ count: Int) { published.add(count, ordering: .relaxed) }
    func closedStalled() { stalled.add(1, ordering: .relaxed) }
    func sentReset() { resets.add(1, ordering: .relaxed) }

    func render(into text: inout PrometheusText) {
        text.family("liveblog_stream_subscribers_opened_total", "counter", "Connections that opened /stream.")
        text.sample("liveblog_stream_subscribers_opened_total", opened.load(ordering: .relaxed))
        text.family("liveblog_stream_events_published_total", "counter", "Events published to /stream, each encoded once for every subscriber.")
        text.sample("liveblog_stream_events_published_total", published.load(ordering: .relaxed))
        text.family("liveblog_stream_stalled_total", "counter", "Subscribers closed because they stopped reading: their buffer overflowed, or the write timeout passed.")
        text.sample("liveblog_stream_stalled_total", stalled.load(ordering: .relaxed))
        text.family("liveblog_stream_resets_total", "counter", "reset events sent: a position older than the history, or events lost in a burst.")
        text.sample("liveblog_stream_resets_total", resets.load(ordering: .relaxed))
    }
}
