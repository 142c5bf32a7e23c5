/// The last events published, oldest first, bounded in count and bytes, for the clients and
/// loops that ask what came after a position.
///
/// Positions are event ids: numbers that only grow. A stream starts at `origin`, so the ids
/// of one process are all above those of any process that ran before it (see `StreamHub`):
/// an id from before a restart reads as older than anything kept.
struct StreamHistory {
    /// What a position has missed.
    enum Replay {
        /// Every event after the position, oldest first (empty when it is current).
        case events(ArraySlice<StreamEvent>)
        /// Events after the position are no longer kept: the client must reload.
        case tooOld
        /// A position this stream never reached (another server's, or a made-up one).
        case unknown
    }

    let maximumEvents: Int
    let maximumBytes: Int
    /// The position before the first event of this stream.
    let origin: UInt64
    private var events: [StreamEvent] = []
    private var start = 0
    private(set) var bytes = 0
    /// The newest position: the last event's id, or `origin` before any.
    private(set) var lastID: UInt64

    init(origin: UInt64, maximumEvents: Int, maximumBytes: Int) {
        self.origin = origin
        self.maximumEvents = maximumEvents
        self.maximumBytes = maximumBytes
        lastID = origin
    }

    var count: Int { events.count - start }

    /// The id the next event gets.
    var nextID: UInt64 { lastID + 1 }

    /// Appends `event` (whose id must be above `lastID`), dropping the oldest past the bounds.
    mutating func append(_ event: StreamEvent) {
        precondition(event.id > lastID, "event ids must grow")
        lastID = event.id
        events.append(event)
        bytes += event.size
        while count > maximumEvents || (bytes > maximumBytes && count > 1) {
            bytes -= events[start].size
            start += 1
        }
        // Drop the evicted prefix once it is as long as what is kept: amortized O(1).
        if start > 64 && start >= count {
            events.removeFirst(start)
            start = 0
        }
    }

    /// Skips ids up to `id` without events (events too many to keep were never encoded).
    mutating func skip(through id: UInt64) {
        guard id > lastID else { return }
        lastID = id
        bytes = 0
        events.removeAll()
        start = 0
    }

    /// The events after `position`.
    func after(_ position: UInt64) -> Replay {
        if position > lastID { return .unknown }
        if position == lastID { return .events([]) }
        let oldest = count > 0 ? events[start].id : lastID + 1
        // The position must be the event just before the oldest kept, or a later one.
        guard position + 1 >= oldest else { return .tooOld }
        let kept = events[start...]
        let first = kept.partitionPoint { $0.id > position }
        return .events(kept[first...])
    }
}
