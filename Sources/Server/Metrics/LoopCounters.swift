import Synchronization

/// The counters of one event loop. Only its loop writes them (`CounterCells`: a plain load
/// and store, no lock, no cache line shared with another loop); `/metrics` reads every
/// loop's and adds them up.
final class LoopCounters: Sendable {
    let accepted = Atomic<Int>(0)
    let open = Atomic<Int>(0)
    let acceptErrors = Atomic<Int>(0)
    let bytesWritten = Atomic<Int>(0)
    let tlsHandshakesCompleted = Atomic<Int>(0)
    let tlsHandshakesFailed = Atomic<Int>(0)
    /// Requests by route, status and method: `(route * statuses + status) * methods + method`.
    let requests = CounterCells(count: MetricLabels.routes.count * MetricLabels.statuses.count * MetricLabels.methods.count)
    /// Latency histogram buckets by route (not cumulative: one per bound, then one above all).
    let latencyBuckets = CounterCells(count: MetricLabels.routes.count * (MetricLabels.latencyBounds.count + 1))
    /// Nanoseconds spent, by route.
    let latencyNanoseconds = CounterCells(count: MetricLabels.routes.count)

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
    func tlsHandshake(succeeded: Bool) {
        if succeeded { bump(tlsHandshakesCompleted) } else { bump(tlsHandshakesFailed) }
    }

    /// One response: counted by route, status and method, and its time in the histogram.
    func count(_ response: EncodedResponse, method: Int, nanoseconds: Int) {
        let route = response.routeSlot
        requests.bump((route * MetricLabels.statuses.count + response.statusSlot) * MetricLabels.methods.count + method)
        let bounds = MetricLabels.latencyBoundsNanoseconds
        var bucket = 0
        while bucket < bounds.count, nanoseconds > bounds[bucket] { bucket += 1 }
        latencyBuckets.bump(route * (bounds.count + 1) + bucket)
        latencyNanoseconds.bump(route, by: nanoseconds)
    }
}
