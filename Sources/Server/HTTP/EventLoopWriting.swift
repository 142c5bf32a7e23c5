import Glibc
import HTTPParsing

/// How a loop writes: what a connection has queued, as far as the socket takes it; a
/// stream's shared block straight to its socket; and the ends of a connection (lingering
/// after the last response, a close, a reset). Confined to the loop's thread.
extension EventLoop {

    func flush(_ connection: Connection) {
        while !connection.outbound.isEmpty {
            writeBuffers.removeAll(keepingCapacity: true)
            for (index, block) in connection.outbound.prefix(PlainTransport.maximumBuffersPerWrite).enumerated() {
                writeBuffers.append(index == 0 ? UnsafeRawBufferPointer(rebasing: block.bytes[connection.writtenOfFirst...]) : block.bytes)
            }
            switch connection.transport.write(writeBuffers) {
            case .done(let count):
                metrics.wrote(count)
                connection.consume(count)
                connection.lastActivity = now
                if count > 0 { connection.lastWriteProgress = now }
                if count == 0 { return }
            case .wantWrite:
                setInterest(connection, read: !connection.readingPaused, write: true)
                return
            case .wantRead:
                connection.writeWantsRead = true
                setInterest(connection, read: true, write: false)
                return
            case .closed, .failed:
                close(connection)
                return
            }
        }
        if connection.closeWhenFlushed {
            beginLingering(connection)
            return
        }
        let resumed = connection.readingPaused
        if connection.readingPaused {
            connection.readingPaused = false
            if !connection.inbound.isEmpty {
                processInbound(connection)
                guard connection.isOpen else { return }
                if !connection.outbound.isEmpty {
                    flush(connection)
                    return
                }
            }
        }
        if connection.wantsWrite || !connection.wantsRead {
            setInterest(connection, read: !connection.readingPaused, write: false)
        }
        if resumed, connection.isOpen, connection.transport.hasBufferedInput {
            read(connection)
        }
    }

    /// After the last response, the write side is shut and input is read and dropped until
    /// the client closes (or a short timeout): closing at once with unread input would send
    /// a reset that can destroy the response before the client reads it (RFC 9112 §9.6).
    func beginLingering(_ connection: Connection) {
        connection.transport.shutdown()
        connection.lingering = true
        connection.lingerStartedAt = now
        connection.inbound = []
        setInterest(connection, read: true, write: false)
    }

    func discardInput(_ connection: Connection) {
        for _ in 0..<16 {
            switch connection.transport.read(into: readBuffer) {
            case .done(let count):
                connection.lingerDiscardedBytes += count
                if connection.lingerDiscardedBytes > HTTPLimits.maximumLingerBytes {
                    abort(connection)
                    return
                }
            case .wantRead:
                return
            case .wantWrite:
                connection.readWantsWrite = true
                setInterest(connection, read: false, write: true)
                return
            case .closed, .failed:
                close(connection)
                return
            }
        }
    }

    func pauseReading(_ connection: Connection) {
        connection.readingPaused = true
        setInterest(connection, read: false, write: true)
    }

    func setInterest(_ connection: Connection, read: Bool, write: Bool) {
        guard connection.wantsRead != read || connection.wantsWrite != write else { return }
        connection.wantsRead = read
        connection.wantsWrite = write
        do {
            try poller.modify(connection.fileDescriptor, readable: read, writable: write)
        } catch {
            close(connection)
        }
    }

    /// `orderly`: the server chose to close (timeout, stop), so TLS says close_notify first.
    func close(_ connection: Connection, orderly: Bool = false) {
        guard connection.isOpen else { return }
        streams.remove(connection)
        connection.isOpen = false
        if orderly && !connection.lingering { connection.transport.shutdown() }
        connections.remove(connection)
        timers.remove(connection)
        poller.remove(connection.fileDescriptor)
        connection.transport.close()
        connection.inbound = []
        connection.outbound = []
        metrics.connectionClosed()
    }

    /// Closes with a reset (SO_LINGER 0): what the kernel still holds to send is dropped
    /// with the connection, for a client that would not take it anyway.
    func abort(_ connection: Connection) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(connection.fileDescriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(connection)
    }

    /// Writes `block` after what `connection` has queued: straight from the shared block
    /// when nothing is (a stream's event goes out with no copy and nothing allocated), and
    /// only what the socket does not take is queued, to be written when it is writable.
    func send(_ block: ByteBlock, to connection: Connection) {
        guard connection.outbound.isEmpty, connection.handshakeDone, !connection.writeWantsRead,
              !connection.closeWhenFlushed else {
            connection.enqueue(block)
            flushAndReschedule(connection)
            return
        }
        writeBuffers.removeAll(keepingCapacity: true)
        writeBuffers.append(block.bytes)
        switch connection.transport.write(writeBuffers) {
        case .done(let count):
            metrics.wrote(count)
            connection.lastActivity = now
            if count > 0 { connection.lastWriteProgress = now }
            guard count < block.count else { return }
            connection.enqueue(block)
            connection.consume(count)
            flushAndReschedule(connection)
        case .wantWrite, .wantRead:
            // `flush` writes it again and waits for the readiness the transport asks for.
            connection.lastWriteProgress = now
            connection.enqueue(block)
            flushAndReschedule(connection)
        case .closed, .failed:
            close(connection)
        }
    }

    /// For stream work, which writes outside `handle`: the deadline may now be earlier.
    func flushAndReschedule(_ connection: Connection) {
        flush(connection)
        if connection.isOpen { scheduleDeadline(connection) }
    }
}
