import Glibc

/// TCP without TLS: `read(2)` and one `writev(2)` for all pending buffers.
final class PlainTransport: Transport {
    let fileDescriptor: Int32
    private var iovecs: [iovec] = []

    /// `writev` takes at most IOV_MAX buffers; more wait for the next call.
    static let maximumBuffersPerWrite = 64

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    func handshake() -> TransportStatus { .done(0) }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportStatus {
        while true {
            let n = Glibc.read(fileDescriptor, buffer.baseAddress, buffer.count)
            if n > 0 { return .done(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wantRead
            case ECONNRESET: return .closed
            default: return .failed(SystemError("read").description)
            }
        }
    }

    func write(_ buffers: [UnsafeRawBufferPointer]) -> TransportStatus {
        iovecs.removeAll(keepingCapacity: true)
        for buffer in buffers.prefix(Self.maximumBuffersPerWrite) where buffer.count > 0 {
            iovecs.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress), iov_len: buffer.count))
        }
        if iovecs.isEmpty { return .done(0) }
        while true {
            let n = iovecs.withUnsafeBufferPointer { writev(fileDescriptor, $0.baseAddress, Int32($0.count)) }
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wantWrite
            case EPIPE, ECONNRESET: return .closed
            default: return .failed(SystemError("writev").description)
            }
        }
    }

    func shutdown() {
        _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    func close() {
        _ = Glibc.close(fileDescriptor)
    }
}
