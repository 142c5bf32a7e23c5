/// What a connection reads from and writes to: plain TCP, or TLS over it.
///
/// Every call is non-blocking. A call that cannot make progress says which readiness it is
/// waiting for (`.wantRead` / `.wantWrite`), so the event loop can register that interest and
/// call again when the socket is ready; TLS may want to *write* during a read and vice versa.
protocol Transport: AnyObject {
    /// The socket the event loop polls.
    var fileDescriptor: Int32 { get }

    /// Drives any handshake forward. `.done(0)` once the transport is ready for data
    /// (immediately for plain TCP).
    func handshake() -> TransportStatus

    /// Reads up to `buffer.count` bytes. `.done(n)` with n > 0; `.closed` on orderly EOF.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportStatus

    /// Writes the buffers in order, as one gather write where the transport can.
    /// `.done(n)`: n bytes of the concatenation were accepted (possibly fewer than all).
    func write(_ buffers: [UnsafeRawBufferPointer]) -> TransportStatus

    /// Starts an orderly close (TLS close_notify); best effort, never blocks.
    func shutdown()

    /// Releases the socket and any session state. Called exactly once.
    func close()

    /// True when input is buffered inside the transport, where the poller cannot see it
    /// (TLS records read ahead of a full buffer): the caller reads again without waiting.
    var hasBufferedInput: Bool { get }
}

extension Transport {
    var hasBufferedInput: Bool { false }
}

enum TransportStatus: Equatable {
    case done(Int)
    case wantRead
    case wantWrite
    case closed
    case failed(String)
}
