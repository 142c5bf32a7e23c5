import COpenSSL
import Glibc

/// TLS over one accepted, non-blocking socket: an OpenSSL `SSL` in server mode reading and
/// writing the descriptor itself.
///
/// Writes. OpenSSL requires that a write which could not finish (want-read / want-write) be
/// retried with the same bytes and at least the same length; the record is already sealed
/// in its buffer. This transport reports as written only the bytes of `SSL_write_ex` calls
/// that succeeded, so the caller offers the unwritten bytes again from the same stream
/// position; the transport remembers the length of the blocked call and retries exactly that
/// length, taking the bytes from wherever the caller now holds them (hence
/// SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER). Partial writes are off, so a success is whole.
///
/// Small buffers (a head, a date line, a body) are gathered into one record of up to 16 KB
/// in a per-thread scratch buffer: one seal and one `write(2)` per response instead of one
/// per buffer, as a `writev` would do for plain TCP.
final class TLSTransport: Transport {
    let fileDescriptor: Int32
    private let session: OpaquePointer?
    private let setupFailure: String?
    /// The length of a write OpenSSL asked us to retry; 0 when none is pending.
    private var retryLength = 0
    /// After a fatal error OpenSSL must not be asked to send close_notify.
    private var broken = false

    /// One TLS record's worth of plaintext: the most one `SSL_write_ex` seals at once.
    static let recordBytes = 16 * 1024

    init(fileDescriptor: Int32, context: TLSContext) {
        self.fileDescriptor = fileDescriptor
        OpenSSLErrorQueue.clear()
        if let session = SSL_new(context.handle), SSL_set_fd(session, fileDescriptor) == 1 {
            SSL_set_accept_state(session)
            self.session = session
            setupFailure = nil
        } else {
            session = nil
            setupFailure = "TLS: cannot set up a session (\(OpenSSLErrorQueue.drain()))"
        }
    }

    /// The protocol and suite negotiated, e.g. `TLSv1.3 TLS_AES_128_GCM_SHA256`, and the
    /// application protocol (nil when the client offered none): for logs and tests.
    var negotiated: (version: String, cipher: String, applicationProtocol: String?)? {
        guard let session, SSL_is_init_finished(session) == 1 else { return nil }
        let version = String(cString: SSL_get_version(session))
        let cipher = SSL_get_current_cipher(session).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? ""
        var name: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(session, &name, &length)
        let alpn = name.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self) }
        return (version, cipher, alpn)
    }

    func handshake() -> TransportStatus {
        guard let session else { return .failed(setupFailure ?? "TLS: no session") }
        let result = SSL_do_handshake(session)
        return result == 1 ? .done(0) : status(after: result)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportStatus {
        guard let session, let base = buffer.baseAddress else { return .failed(setupFailure ?? "TLS: no session") }
        var total = 0
        // One SSL_read returns at most one record. Read-ahead may have pulled several from
        // the socket; those are invisible to epoll, so take them all now.
        while total < buffer.count {
            var count = 0
            let result = SSL_read_ex(session, base + total, buffer.count - total, &count)
            if result == 1 {
                total += count
                if SSL_has_pending(session) == 0 { break }
                continue
            }
            if total > 0 {
                // Whatever stopped us (no more data, the peer's close, an error) is
                // sticky and will be seen by the next call; first hand over what we have.
                OpenSSLErrorQueue.clear()
                break
            }
            return status(after: result)
        }
        return .done(total)
    }

    /// True when OpenSSL holds input that a read would return without the socket becoming
    /// readable (the caller's buffer filled up before every record was taken).
    var hasBufferedInput: Bool {
        guard let session else { return false }
        return SSL_has_pending(session) == 1
    }

    func write(_ buffers: [UnsafeRawBufferPointer]) -> TransportStatus {
        guard let session else { return .failed(setupFailure ?? "TLS: no session") }
        var offered = 0
        for buffer in buffers { offered += buffer.count }
        var cursor = GatherCursor(buffers)
        var written = 0
        while written < offered {
            let length = retryLength > 0 ? retryLength : min(offered - written, Self.recordBytes)
            guard written + length <= offered else {
                broken = true
                return .failed("TLS: a blocked write of \(length) bytes was retried with only \(offered - written)")
            }
            let bytes = cursor.contiguous(length) ?? cursor.gather(length, into: WriteScratch.buffer())
            var count = 0
            let result = SSL_write_ex(session, bytes, length, &count)
            guard result == 1 else {
                retryLength = length
                if written > 0 {
                    OpenSSLErrorQueue.clear()
                    return .done(written)
                }
                return status(after: result)
            }
            retryLength = 0
            written += count
            cursor.advance(count)
        }
        return .done(written)
    }

    func shutdown() {
        guard let session, !broken, SSL_is_init_finished(session) == 1 else { return }
        // Sends close_notify if the socket takes it now; never waits for the client's.
        if SSL_shutdown(session) >= 0 {
            _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_WR))
        }
        OpenSSLErrorQueue.clear()
    }

    func close() {
        if let session {
            // A connection that ended without error keeps its TLS 1.2 session resumable
            // (OpenSSL drops sessions of connections freed before a close_notify).
            if !broken && SSL_is_init_finished(session) == 1 {
                SSL_set_shutdown(session, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN)
            }
            SSL_free(session)
        }
        _ = Glibc.close(fileDescriptor)
    }

    /// What a failed OpenSSL call means for the event loop.
    private func status(after result: Int32) -> TransportStatus {
        let savedErrno = errno
        guard let session else { return .failed(setupFailure ?? "TLS: no session") }
        switch SSL_get_error(session, result) {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        case SSL_ERROR_SYSCALL:
            broken = true
            let queued = ERR_peek_error() != 0 ? OpenSSLErrorQueue.drain() : nil
            if let queued { return .failed("TLS: \(queued)") }
            if savedErrno == 0 || savedErrno == ECONNRESET || savedErrno == EPIPE { return .closed }
            return .failed("TLS: \(String(cString: strerror(savedErrno)))")
        case let code:
            broken = true
            return .failed("TLS: \(OpenSSLErrorQueue.drain()) (SSL error \(code))")
        }
    }
}

/// Walks the caller's buffers as one stream of bytes.
private struct GatherCursor {
    let buffers: [UnsafeRawBufferPointer]
    var index = 0
    var offset = 0

    init(_ buffers: [UnsafeRawBufferPointer]) {
        self.buffers = buffers
        skipEmpty()
    }

    /// The next `length` bytes, if one buffer holds them all.
    func contiguous(_ length: Int) -> UnsafeRawPointer? {
        guard index < buffers.count, buffers[index].count - offset >= length else { return nil }
        return buffers[index].baseAddress.map { $0 + offset }
    }

    /// Copies the next `length` bytes (at most `WriteScratch.bytes`) into `scratch`.
    func gather(_ length: Int, into scratch: UnsafeMutableRawPointer) -> UnsafeRawPointer {
        var copied = 0
        var index = self.index
        var offset = self.offset
        while copied < length, index < buffers.count {
            let take = min(length - copied, buffers[index].count - offset)
            if take > 0, let base = buffers[index].baseAddress {
                (scratch + copied).copyMemory(from: base + offset, byteCount: take)
            }
            copied += take
            offset += take
            if offset == buffers[index].count {
                index += 1
                offset = 0
            }
        }
        return UnsafeRawPointer(scratch)
    }

    mutating func advance(_ count: Int) {
        var remaining = count
        while remaining > 0, index < buffers.count {
            let take = min(remaining, buffers[index].count - offset)
            remaining -= take
            offset += take
            if offset == buffers[index].count {
                index += 1
                offset = 0
            }
        }
        skipEmpty()
    }

    private mutating func skipEmpty() {
        while index < buffers.count, buffers[index].count - offset == 0 {
            index += 1
            offset = 0
        }
    }
}

/// One record-sized buffer per thread for gathering small writes. Its contents never need
/// to outlive a call: a blocked write is retried from the caller's bytes, not from here.
private enum WriteScratch {
    static let bytes = TLSTransport.recordBytes

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { $0?.deallocate() }
        return key
    }()

    static func buffer() -> UnsafeMutableRawPointer {
        if let existing = pthread_getspecific(key) { return existing }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        pthread_setspecific(key, fresh)
        return fresh
    }
}
