import Synchronization

/// What `/metrics` says of `/stream`. Updated by the loops and the publisher only on stream
/// work, never on an ordinary request, so a shared atomic add costs nothing that matters.
final class StreamCounters: Sendable {
    private let open = Atomic<Int>(0)
    private let opened = Atomic<Int>(0)
    private let events = Atomic<Int>(0)
    private let deliveries = Atomic<Int>(0)
    private let stalled = Atomic<Int>(0)
    private let resets = Atomic<Int>(0)

    func subscriberOpened() {
        open.add(1, ordering: .relaxed)
        opened.add(1, ordering: .relaxed)
    }

    func subscriberClosed() { open.subtract(1, ordering: .relaxed) }
    func published(_ count: Int) { events.add(count, ordering: .relaxed) }
    func delivered(_ count: Int) { deliveries.add(count, ordering: .relaxed) }
    func closedStalled() { stalled.add(1, ordering: .relaxed) }
    func sentReset() { resets.add(1, ordering: .relaxed) }

    var subscribers: Int { open.load(ordering: .relaxed) }

    func prometheusLines() -> [String] {
        [
            "# HELP liveblog_stream_subscribers /stream connections open now.",
            "# TYPE liveblog_stream_subscribers gauge",
            "liveblog_stream_subscribers \(open.load(ordering: .relaxed))",
            "# HELP liveblog_stream_subscribers_total /stream connections opened.",
            "# TYPE liveblog_stream_subscribers_total counter",
            "liveblog_stream_subscribers_total \(opened.load(ordering: .relaxed))",
            "# HELP liveblog_stream_events_total Events published to /stream (each encoded once).",
            "# TYPE liveblog_stream_events_total counter",
            "liveblog_stream_events_total \(events.load(ordering: .relaxed))",
            "# HELP liveblog_stream_deliveries_total Events queued to /stream subscribers, replays included.",
            "# TYPE liveblog_stream_deliveries_total counter",
            "liveblog_stream_deliveries_total \(deliveries.load(ordering: .relaxed))",
            "# HELP liveblog_stream_stalled_total Subscribers closed because they stopped reading and their buffer overflowed.",
            "# TYPE liveblog_stream_stalled_total counter",
            "liveblog_stream_stalled_total \(stalled.load(ordering: .relaxed))",
            "# HELP liveblog_stream_resets_total reset events sent: a position older than the history, or events lost in a burst.",
            "# TYPE liveblog_stream_resets_total counter",
            "liveblog_stream_resets_total \(resets.load(ordering: .relaxed))",
        ]
    }
}
