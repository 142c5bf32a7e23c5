/// One client connection: its transport, the bytes of a request not yet complete, and the
/// responses not yet written. Confined to the loop that accepted it.
///
/// An idle keep-alive connection holds no buffer at all: reads go to the loop's shared
/// buffer, and only the tail of an incomplete request is kept here.
final class Connection {
    let transport: Transport
    var parser = RequestParser()
    /// Bytes of a request that has not fully arrived (empty while idle).
    var inbound: [UInt8] = []
    /// Responses waiting to be written, in order; `writtenOfFirst` bytes of the first are out.
    var outbound: [ByteBlock] = []
    var writtenOfFirst = 0
    var pendingBytes = 0
    /// Close once `outbound` is written: `Connection: close`, HTTP/1.0, or an error.
    var closeWhenFlushed = false
    /// Reading stopped because too much output is waiting (back-pressure).
    var readingPaused = false
    var handshakeDone = false
    var sentContinue = false
    /// The last read asked for writability (TLS), or the last write for readability.
    var readWantsWrite = false
    var writeWantsRead = false
    /// The last response is out and the write side shut; input is read and dropped until
    /// the client closes.
    var lingering = false
    /// The interest registered with the poller.
    var wantsRead = true
    var wantsWrite = false
    /// Seconds (wall clock) of the last progress, and of the first byte of an incomplete head.
    var lastActivity: Int
    var headStartedAt: Int?
    /// Set once the connection answered `GET /stream`: it then carries events, not responses.
    var stream: StreamSubscription?
    /// The client's address, for the access log: asked once, when first logged.
    var peerAddress: String?

    init(transport: Transport, now: Int) {
        self.transport = transport
        lastActivity = now
    }

    var fileDescriptor: Int32 { transport.fileDescriptor }
    var isIdle: Bool { inbound.isEmpty && outbound.isEmpty && stream == nil }

    func enqueue(_ block: ByteBlock) {
        guard block.count > 0 else { return }
        outbound.append(block)
        pendingBytes += block.count
    }

    /// Drops `count` written bytes from the front of `outbound`.
    func consume(_ count: Int) {
        var remaining = count
        pendingBytes -= count
        while remaining > 0, let first = outbound.first {
            let left = first.count - writtenOfFirst
            if remaining >= left {
                remaining -= left
                outbound.removeFirst()
                writtenOfFirst = 0
            } else {
                writtenOfFirst += remaining
                remaining = 0
            }
        }
    }
}
