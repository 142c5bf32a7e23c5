import Store

/// What makes a connection a `/stream`: the filter it asked for and where it is in the
/// stream. Confined to the connection's loop.
final class StreamSubscription {
    let filter: UpdateFilter
    /// The filter passes every update (no parameters): events go out untested.
    let takesEverything: Bool
    /// The query can match no update (`q` of signs only): the stream carries no event.
    let matchesNothing: Bool
    /// HTTP/1.1: events go out as chunks. HTTP/1.0: the body simply ends with the connection.
    let chunked: Bool
    /// Events up to this id already reached the client (it resumed from a position this
    /// loop had not delivered yet): they are not sent again.
    let skipThrough: UInt64
    /// Monotonic milliseconds of the last bytes queued: the heartbeat is due a period later.
    var lastWrite: Int64
    /// The position in the loop's subscriber list; -1 once the stream ended.
    var index = -1
    /// How much before the period this subscriber's heartbeat comes, so that those written
    /// together do not all come due in the same millisecond.
    private let heartbeatLead: Int64

    /// `spread`: any number that differs between subscribers (the socket's), which places
    /// the heartbeat within `StreamLimits.heartbeatSpreadMilliseconds`.
    init(filter: UpdateFilter, matchesNothing: Bool, chunked: Bool, skipThrough: UInt64, now: Int64, spread: Int = 0) {
        self.filter = filter
        takesEverything = filter.admitsEverything
        self.matchesNothing = matchesNothing
        self.chunked = chunked
        self.skipThrough = skipThrough
        lastWrite = now
        heartbeatLead = Int64(abs(spread) % StreamLimits.heartbeatSpreadMilliseconds)
    }

    var isActive: Bool { index >= 0 }

    /// Whether `event` is for this subscriber; `subject` is the event's update with its
    /// words folded, asked for only when the filter needs it (nil: every subscriber is told).
    func wants(_ event: StreamEvent, subject: () -> MatchableUpdate?) -> Bool {
        guard !matchesNothing, event.id > skipThrough else { return false }
        if takesEverything { return true }
        guard let subject = subject() else { return true }
        return filter.admits(subject)
    }

    /// Whether every one of `events` (ascending ids) is for this subscriber.
    func wantsAll(_ events: ArraySlice<StreamEvent>) -> Bool {
        guard takesEverything, !matchesNothing, let first = events.first else { return false }
        return first.id > skipThrough
    }

    var heartbeatDue: Int64 { lastWrite + Int64(StreamLimits.heartbeatSeconds) * 1000 - heartbeatLead }
}
