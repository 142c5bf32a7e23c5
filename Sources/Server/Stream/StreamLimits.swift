/// Every bound and period of `/stream`, in one place.
enum StreamLimits {
    /// Events kept for replay to a client that reconnects with `Last-Event-ID`.
    static let historyEvents = 1000
    /// Bytes of encoded events kept for replay. A replay is at most this, and a subscriber's
    /// buffer below is larger, so a replay alone never overflows it.
    static let historyBytes = 1024 * 1024
    /// Bytes of events waiting for one subscriber, after the socket took what it would,
    /// before the subscriber counts as stalled and is closed (it resumes with `Last-Event-ID`
    /// when it reads again). Blocks are shared, so this bounds references more than memory.
    static let maximumBufferedBytes = 2 * historyBytes
    /// The kernel's send buffer of a stream socket (it doubles this for bookkeeping): fixed,
    /// so that a stalled subscriber holds a known amount of kernel memory and is found out
    /// after a known number of bytes, instead of autotuning up to megabytes.
    static let socketSendBufferBytes: Int32 = 64 * 1024
    /// Seconds between comment lines on a quiet stream, so that proxies and load balancers
    /// do not take it for dead.
    static let heartbeatSeconds = 15
    /// Subscribers that were last written together (all of them, after an event) have their
    /// heartbeats spread over this long, before the period ends: a loop then writes a few per
    /// turn instead of ten thousand in one, ahead of any event that comes meanwhile.
    static let heartbeatSpreadMilliseconds = 1000
    /// `retry:`: how long a client waits before reconnecting after the stream ends.
    static let retryMilliseconds = 3000
    /// At shutdown, the streams of one loop are closed one after another over this long,
    /// so that thousands of clients do not reconnect to the next replica in the same
    /// millisecond. Well inside `HTTPLimits.drainTimeoutSeconds`, with time left to linger.
    static let shutdownSpreadMilliseconds = 2000
}
