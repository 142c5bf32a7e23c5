import Synchronization

/// The context new connections take, swapped whole on a reload. Open connections keep the
/// context they started with (each `SSL` holds a reference to its `SSL_CTX`).
final class TLSContextStore: Sendable {
    let configuration: TLSConfiguration
    private let current: Mutex<TLSContext>

    /// Loads the pair once; a bad or missing file is an error naming it.
    init(configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        current = Mutex(try TLSContext(configuration: configuration))
    }

    var context: TLSContext { current.withLock { $0 } }

    /// Reads the certificate and key files again. On success new connections use the new
    /// pair; on failure the error is thrown for the caller to report and the old pair stays.
    @discardableResult
    func reload() throws(TLSError) -> TLSContext {
        let fresh = try TLSContext(configuration: configuration)
        current.withLock { $0 = fresh }
        return fresh
    }

    /// The transport for a newly accepted socket.
    func makeTransport(fileDescriptor: Int32) -> Transport {
        TLSTransport(fileDescriptor: fileDescriptor, context: context)
    }
}
