import HTTPParsing

/// One client connection: its transport, the bytes of a request not yet complete, the
/// responses not yet written, and the times its deadline is reckoned from. Confined to the
/// loop that accepted it.
///
/// An idle keep-alive connection holds no buffer at all: reads go to the loop's shared
/// buffer, and only the tail of an incomplete request is kept here.
final class Connection {
    let transport: Transport
    /// What answers the requests on this connection (the listener it came from says).
    let responder: Responder
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
    var lingerDiscardedBytes = 0
    /// The interest registered with the poller.
    var wantsRead = true
    var wantsWrite = false
    var isOpen = true
    /// Set once the connection answered `GET /stream`: it then carries events, not responses.
    var stream: StreamSubscription?
    /// The client's address, for the access log: asked once, when first logged.
    var peerAddress: String?

    /// Monotonic milliseconds: when it was accepted, of the last read or write that moved
    /// bytes, of the last write that did, of the first byte of an incomplete request, and
    /// of the start of lingering.
    let acceptedAt: Int64
    var lastActivity: Int64
    var lastWriteProgress: Int64
    var requestStartedAt: Int64?
    var lingerStartedAt: Int64 = 0

    /// The connection's place in the loop's deadline heap, and the deadline it is filed
    /// under there (the real one may be later: it is only moved earlier eagerly).
    var timerIndex: Int?
    var filedDeadline: Int64 = .max

    init(transport: Transport, responder: Responder, now: Int64) {
        self.transport = transport
        self.responder = responder
        acceptedAt = now
        lastActivity = now
        lastWriteProgress = now
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

/// What answers a listener's requests: the routes, or (the plain listener beside an HTTPS
/// one) a redirect to HTTPS.
enum Responder: Sendable {
    case routes
    case redirectToHTTPS(port: Int)
}
