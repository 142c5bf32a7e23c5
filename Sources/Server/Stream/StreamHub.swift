import Glibc
import Routes
import Store
import Synchronization

/// Where store changes become `/stream` events: each change is encoded once, on the
/// publisher's thread, into the shared history; then every event loop is woken through its
/// eventfd and writes the new events to its own subscribers.
///
/// The lock here is taken by the publisher and by a loop only when it has stream work (an
/// event to deliver, a subscriber to open): never on the path of an ordinary request.
final class StreamHub: Sendable {
    private struct State {
        var history: StreamHistory
        var wakers: [@Sendable () -> Void] = []
    }

    private let state: Mutex<State>
    /// Held for a whole `publish`, so that publishers take turns and events are encoded
    /// outside `state`: the snapshot before the change being published, where a removed
    /// update is looked up, so that a filtered subscriber hears only of removals it saw.
    private let publisher = Mutex<Router?>(nil)
    /// `history.lastID`, readable without the lock: a loop woken for another reason
    /// compares it with its own position and goes back to sleep.
    private let latest: Atomic<UInt64>
    let counters: StreamCounters

    /// `origin`: the position streams start at. By default the wall clock in microseconds,
    /// so that the ids of a restarted server are above every id of the one before it (a
    /// million events a second would be needed to overtake it).
    init(counters: StreamCounters = StreamCounters(), origin: UInt64 = StreamHub.clockOrigin(),
         maximumEvents: Int = StreamLimits.historyEvents, maximumBytes: Int = StreamLimits.historyBytes) {
        self.counters = counters
        state = Mutex(State(history: StreamHistory(origin: origin, maximumEvents: maximumEvents, maximumBytes: maximumBytes)))
        latest = Atomic(origin)
    }

    static func clockOrigin() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec / 1000)
    }

    /// Called by a loop as it starts: `wake` makes that loop look for new events.
    func register(wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.wakers.append(wake) }
    }

    /// The newest position published.
    var lastID: UInt64 { latest.load(ordering: .acquiring) }

    /// The events after `position`.
    func events(after position: UInt64) -> StreamHistory.Replay {
        state.withLock { $0.history.after(position) }
    }

    /// Turns a new snapshot's change into events and wakes every loop. Called by the live
    /// store after it installed the snapshot whose router is `router`, from its own thread.
    /// The first load (`initial`) is not news: only the snapshot is noted.
    func publish(_ change: StoreChange, router: Router) {
        publisher.withLock { previousRouter in
            let previous = previousRouter
            previousRouter = router
            guard !change.initial, !change.isEmpty else { return }
            let (first, limit) = state.withLock { ($0.history.nextID, $0.history.maximumEvents) }
            // Events past what the history keeps would be dropped as soon as encoded: they
            // get ids but are never encoded, and a client that missed them is told to reload.
            let total = change.upserted.count + change.removed.count
            let skipped = max(0, total - limit)
            var events: [StreamEvent] = []
            events.reserveCapacity(total - skipped)
            // Oldest first, so that a page putting each new update on top ends newest on top.
            let upserted = change.upserted.reversed().dropFirst(skipped)
            // Encoded once per change, for every subscriber.
            let encoded = upserted.map(StreamEventData.update)
            var id = first + UInt64(skipped)
            for (update, data) in zip(upserted, encoded) {
                events.append(StreamEvent(id: id, kind: .update, subject: update, data: data))
                id += 1
            }
            for removed in change.removed.dropFirst(max(0, skipped - change.upserted.count)) {
                let subject = previous?.store.update(id: removed)
                events.append(StreamEvent(id: id, kind: .removed, subject: subject, data: StreamEventData.removed(id: removed)))
                id += 1
            }
            let wakers = state.withLock { state -> [@Sendable () -> Void] in
                if skipped > 0 { state.history.skip(through: first + UInt64(skipped) - 1) }
                for event in events { state.history.append(event) }
                latest.store(state.history.lastID, ordering: .releasing)
                return state.wakers
            }
            counters.published(events.count)
            for wake in wakers { wake() }
        }
    }
}
