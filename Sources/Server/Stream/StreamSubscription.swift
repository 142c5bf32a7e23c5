import Store

/// What makes a connection a `/stream`: the filter it asked for and where it is in the
/// stream. Confined to the connection's loop.
final class StreamSubscription {
    let filter: UpdateFilter
    /// HTTP/1.1: events go out as chunks. HTTP/1.0: the body simply ends with the connection.
    let chunked: Bool
    /// Events up to this id already reached the client (it resumed from a position this
    /// loop had not delivered yet): they are not sent again.
    let skipThrough: UInt64
    /// Seconds (wall clock) of the last bytes queued, for the heartbeat.
    var lastWrite: Int
    /// The position in the loop's subscriber list; -1 once the stream ended.
    var index = -1

    init(filter: UpdateFilter, chunked: Bool, skipThrough: UInt64, now: Int) {
        self.filter = filter
        self.chunked = chunked
        self.skipThrough = skipThrough
        lastWrite = now
    }

    var isActive: Bool { index >= 0 }
}
