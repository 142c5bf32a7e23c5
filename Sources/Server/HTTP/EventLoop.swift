import CLinux
import Glibc
import Routes
import Synchronization

/// One thread, one poller: accepts connections from its own listening socket, reads
/// requests, answers them, and writes without ever blocking.
///
/// Everything a loop owns (connections, the read buffer, the response cache, the clock) is
/// touched only by its own thread, so the hot path takes no lock.
final class EventLoop: @unchecked Sendable {
    private let poller: EpollPoller
    private let listener: Int32
    private let routers: RouterBox
    private let metrics: LoopCounters
    private let accessLog: AccessLogBuffer?
    private let makeTransport: @Sendable (Int32) -> Transport
    private let wakeFD: Int32
    private let streams: LoopStreams

    private var connections: [Connection?]
    private var openConnections = 0
    private var readBuffer: UnsafeMutableRawBufferPointer
    private var writeBuffers: [UnsafeRawBufferPointer] = []
    private let cache = ResponseCache()
    private var router: Router
    private var routerGeneration: Int
    private var clock = HTTPDateClock()
    private var now = 0
    private var acceptPausedUntil: Int?
    private let stopping = Atomic<Bool>(false)
    private var drainDeadline: Int?

    static let readBufferBytes = 64 * 1024

    private static let keepAliveTail = ByteBlock("Connection: keep-alive\r\n\r\n")
    private static let closeTail = ByteBlock("Connection: close\r\n\r\n")
    private static let continueLine = ByteBlock("HTTP/1.1 100 Continue\r\n\r\n")
    private static let optionsAsterisk = EncodedResponse(Response(status: 204, headers: [("Allow", "GET, HEAD, OPTIONS")]))

    init(listener: Int32, routers: RouterBox, metrics: ServerMetrics, streams hub: StreamHub, maximumDescriptors: Int,
         accessLog: AccessLog? = nil, makeTransport: @escaping @Sendable (Int32) -> Transport) throws(SystemError) {
        poller = try EpollPoller()
        self.listener = listener
        self.routers = routers
        self.metrics = metrics.makeLoopCounters()
        self.accessLog = accessLog?.makeBuffer()
        self.makeTransport = makeTransport
        routerGeneration = routers.generation
        router = routers.router
        connections = Array(repeating: nil, count: maximumDescriptors)
        readBuffer = .allocate(byteCount: Self.readBufferBytes, alignment: 16)
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SystemError("eventfd") }
        streams = LoopStreams(hub: hub, wakeFD: wakeFD, metrics: metrics)
        try poller.add(wakeFD, readable: true, writable: false)
        try poller.add(listener, readable: true, writable: false)
    }

    deinit {
        readBuffer.deallocate()
        Glibc.close(wakeFD)
    }

    /// Asks the loop to stop accepting, finish what is in flight, and return from `run`.
    func stop() {
        stopping.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    func run() {
        now = clock.tick()
        var lastSweep = now
        while true {
            poller.wait(timeoutMilliseconds: streams.pollTimeout(upTo: 1000)) { event in
                if event.fd == listener {
                    acceptConnections()
                } else if event.fd == wakeFD {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeFD, &value, 8)
                    streams.deliverNew(now: now, flush: flush, close: { close($0) })
                } else if let connection = connections[Int(event.fd)] {
                    handle(connection, event)
                }
            }
            accessLog?.handOver()
            now = clock.tick()
            if stopping.load(ordering: .acquiring) {
                if beginOrContinueDrain() { break }
            }
            if now != lastSweep {
                lastSweep = now
                sweepTimeouts()
                streams.heartbeat(now: now, flush: flush, close: { close($0) })
            }
        }
        for case let connection? in connections { close(connection) }
        accessLog?.handOver(wait: true)
    }

    // MARK: - Accepting

    private func acceptConnections() {
        if let until = acceptPausedUntil, now < until { return }
        acceptPausedUntil = nil
        for _ in 0..<64 {
            let fd = liveblog_accept_nonblocking(listener)
            if fd < 0 {
                switch errno {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop accepting for a second instead of spinning
                    // on a listener that stays readable.
                    acceptPausedUntil = now + 1
                    poller.remove(listener)
                    metrics.acceptFailed()
                default:
                    break
                }
                return
            }
            guard Int(fd) < connections.count else {
                Glibc.close(fd)
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = Connection(transport: makeTransport(fd), now: now)
            do {
                try poller.add(fd, readable: true, writable: false)
            } catch {
                connection.transport.close()
                continue
            }
            connections[Int(fd)] = connection
            openConnections += 1
            metrics.connectionOpened()
        }
    }

    // MARK: - Events

    private func handle(_ connection: Connection, _ event: PollEvent) {
        if !connection.handshakeDone {
            switch connection.transport.handshake() {
            case .done:
                connection.handshakeDone = true
                if !(connection.transport is PlainTransport) { metrics.tlsHandshake(succeeded: true) }
            case .wantRead:
                setInterest(connection, read: true, write: false)
                return
            case .wantWrite:
                setInterest(connection, read: false, write: true)
                return
            case .closed, .failed:
                if !(connection.transport is PlainTransport) { metrics.tlsHandshake(succeeded: false) }
                close(connection)
                return
            }
        }
        // TLS may need the other direction to finish a read or a write: each call is
        // retried on the readiness it asked for.
        if event.writable || (connection.writeWantsRead && (event.readable || event.hangup)) {
            connection.writeWantsRead = false
            flush(connection)
            guard connections[Int(connection.fileDescriptor)] === connection else { return }
        }
        if connection.lingering || connection.stream != nil {
            discardInput(connection)
            return
        }
        if !connection.readingPaused,
           event.readable || event.hangup || (event.writable && connection.readWantsWrite)
            || connection.transport.hasBufferedInput {
            connection.readWantsWrite = false
            read(connection)
        }
    }

    private func read(_ connection: Connection) {
        switch connection.transport.read(into: readBuffer) {
        case .done(let count):
            connection.lastActivity = now
            if connection.inbound.isEmpty {
                let consumed = process(connection, UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                if consumed < count, connections[Int(connection.fileDescriptor)] === connection {
                    connection.inbound = Array(UnsafeRawBufferPointer(rebasing: readBuffer[consumed..<count]))
                }
            } else {
                connection.inbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                processInbound(connection)
            }
            if connections[Int(connection.fileDescriptor)] === connection, !connection.outbound.isEmpty {
                flush(connection)
            }
            // TLS may hold records the poller cannot see: take them before waiting again.
            if connections[Int(connection.fileDescriptor)] === connection, !connection.readingPaused,
               !connection.closeWhenFlushed, connection.transport.hasBufferedInput {
                read(connection)
            }
        case .wantRead:
            return
        case .wantWrite:
            connection.readWantsWrite = true
            setInterest(connection, read: false, write: true)
        case .closed where !connection.outbound.isEmpty:
            // The client has sent all it will (a half-close) but its answers are not all
            // out: finish writing them, then close.
            connection.closeWhenFlushed = true
            connection.readingPaused = true
            setInterest(connection, read: false, write: true)
        case .closed, .failed:
            // The client is gone: nothing more will come.
            close(connection)
        }
    }

    /// Parses what `inbound` holds, keeping what is left of an incomplete request.
    private func processInbound(_ connection: Connection) {
        let inbound = connection.inbound
        let consumed = inbound.withUnsafeBytes { process(connection, $0) }
        guard connections[Int(connection.fileDescriptor)] === connection else { return }
        if consumed == inbound.count {
            connection.inbound = []
        } else if consumed > 0 {
            connection.inbound = Array(inbound[consumed...])
        }
    }

    /// Answers every complete request at the start of `buffer`; returns the bytes used.
    private func process(_ connection: Connection, _ buffer: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while offset < buffer.count, !connection.closeWhenFlushed {
            if connection.stream != nil { return buffer.count }  // a stream takes no more requests
            if connection.pendingBytes > HTTPLimits.maximumPendingOutputBytes {
                pauseReading(connection)
                break
            }
            let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
            switch connection.parser.parse(rest) {
            case .incomplete:
                if connection.headStartedAt == nil { connection.headStartedAt = now }
                return offset
            case .awaitingBody:
                if !connection.sentContinue {
                    connection.sentContinue = true
                    connection.enqueue(Self.continueLine)
                }
                return offset
            case .request(let head, let consumed):
                connection.headStartedAt = nil
                connection.sentContinue = false
                respond(connection, head, rest)
                offset += consumed
            case .failure(let error):
                let started = MonotonicClock.nanoseconds()
                let encoded = EncodedResponse.problem(error)
                send(encoded, to: connection, head: false, keepAlive: false, minorVersion: 1)
                record(encoded, connection, started: started)
                return buffer.count
            }
        }
        return offset
    }

    // MARK: - Responding

    private func respond(_ connection: Connection, _ head: RequestParser.Head, _ buffer: UnsafeRawBufferPointer) {
        let started = MonotonicClock.nanoseconds()
        if routers.generation != routerGeneration {
            routerGeneration = routers.generation
            router = routers.router
            cache.removeAll()
        }
        let method = UnsafeRawBufferPointer(rebasing: buffer[head.method])
        let rawTarget = UnsafeRawBufferPointer(rebasing: buffer[head.target])
        let isGet = method.elementsEqual("GET".utf8)
        let isHead = !isGet && method.elementsEqual("HEAD".utf8)
        let target: UnsafeRawBufferPointer
        var targetText: String?
        switch TargetForm.classify(UnsafeRawBufferPointer(rebasing: buffer[head.target])) {
        case .origin(let path):
            target = path
        case .absolute(let path, let needsSlash):
            // RFC 9112 §3.2.2: the routes see the origin form; the authority replaces Host.
            target = path
            if needsSlash { targetText = "/" + String(decoding: path, as: UTF8.self) }
        case .asterisk:
            let isOptions = method.elementsEqual("OPTIONS".utf8)
            let encoded = isOptions ? Self.optionsAsterisk
                : EncodedResponse.problem(.badRequest("the target '*' is only for OPTIONS"))
            send(encoded, to: connection, head: false, keepAlive: head.keepAlive && isOptions, minorVersion: head.minorVersion)
            record(encoded, connection, started: started, method: method, target: rawTarget)
            return
        case .authority:
            // Only CONNECT takes an authority target, and the routes refuse CONNECT (405).
            if !method.elementsEqual("CONNECT".utf8) {
                let encoded = EncodedResponse.problem(.badRequest("the request target must start with '/' or 'http://'"))
                send(encoded, to: connection, head: false, keepAlive: false, minorVersion: head.minorVersion)
                record(encoded, connection, started: started, method: method, target: rawTarget)
                return
            }
            target = UnsafeRawBufferPointer(rebasing: buffer[head.target])
        }
        // The routes answer GET and HEAD from the target and Accept alone; the coding and
        // the 304 are chosen here, per request, among the variants of that answer.
        let fields = RepresentationFields(head, in: buffer)
        let slice = { (span: RequestParser.Span?) in span.map { UnsafeRawBufferPointer(rebasing: buffer[$0]) } }
        let accept = slice(fields.accept) ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let coding = ContentCoding.negotiate(slice(fields.acceptEncoding))
        let cacheable = (isGet || isHead) && targetText == nil
        if cacheable, let variants = cache.lookup(target, accept: accept) {
            let encoded = variants.response(for: coding, ifNoneMatch: slice(fields.ifNoneMatch))
            cache.noteGrowth(of: variants, target: target, accept: accept)
            send(encoded, to: connection, head: isHead, keepAlive: head.keepAlive, minorVersion: head.minorVersion)
            record(encoded, connection, started: started, method: method, target: rawTarget, head: isHead)
            return
        }
        let methodText = String(decoding: method, as: UTF8.self)
        let headers = RequestParser.fields(of: head, in: buffer).map { field in
            (name: String(decoding: UnsafeRawBufferPointer(rebasing: buffer[field.name]), as: UTF8.self),
             value: String(decoding: UnsafeRawBufferPointer(rebasing: buffer[field.value]), as: UTF8.self))
        }
        let request = Request(method: methodText, target: targetText ?? String(decoding: target, as: UTF8.self), headers: headers)
        if isGet || isHead, LoopStreams.isStreamTarget(target) {
            let problem = streams.open(connection, request, headOnly: isHead, minorVersion: head.minorVersion, dateLine: clock.line, now: now)
            if let problem { send(problem, to: connection, head: isHead, keepAlive: head.keepAlive, minorVersion: head.minorVersion) }
            record(problem ?? LoopStreams.opened, connection, started: started, method: method, target: rawTarget, head: isHead)
            return
        }
        let response = router.respond(to: request)
        let encoded: EncodedResponse
        if isGet || isHead {
            let keep = cacheable && response.cacheable
            let variants = ResponseVariants(response, mayCompress: keep)
            if keep { cache.store(target, accept: accept, variants) }
            encoded = variants.response(for: coding, ifNoneMatch: slice(fields.ifNoneMatch))
            if keep { cache.noteGrowth(of: variants, target: target, accept: accept) }
        } else {
            encoded = EncodedResponse(response)
        }
        send(encoded, to: connection, head: isHead, keepAlive: head.keepAlive, minorVersion: head.minorVersion)
        record(encoded, connection, started: started, method: method, target: rawTarget, head: isHead)
    }

    /// Counts a response for `/metrics` and writes its access log line when the log is on.
    private func record(_ response: EncodedResponse, _ connection: Connection, started: Int,
                        method: UnsafeRawBufferPointer? = nil, target: UnsafeRawBufferPointer? = nil, head: Bool = false) {
        let nanoseconds = MonotonicClock.nanoseconds() - started
        metrics.count(response, method: method.map(MetricLabels.methodSlot) ?? MetricLabels.otherMethod, nanoseconds: nanoseconds)
        guard let accessLog else { return }
        if connection.peerAddress == nil { connection.peerAddress = PeerAddress.of(connection.fileDescriptor) }
        accessLog.append(method: method, target: target, status: response.status, bodyBytes: head ? 0 : response.body.count,
                         nanoseconds: nanoseconds, remote: connection.peerAddress ?? "")
    }

    private func send(_ response: EncodedResponse, to connection: Connection, head: Bool, keepAlive: Bool, minorVersion: Int) {
        connection.enqueue(response.head)
        let keep = keepAlive && !stopping.load(ordering: .relaxed)
        if keep && minorVersion >= 1 {
            connection.enqueue(clock.lineEndingHead)
        } else {
            connection.enqueue(clock.line)
            connection.enqueue(keep ? Self.keepAliveTail : Self.closeTail)
        }
        if !head { connection.enqueue(response.body) }
        if !keep { connection.closeWhenFlushed = true }
    }

    // MARK: - Writing

    private func flush(_ connection: Connection) {
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
                guard connections[Int(connection.fileDescriptor)] === connection else { return }
                if !connection.outbound.isEmpty {
                    flush(connection)
                    return
                }
            }
        }
        if connection.wantsWrite || !connection.wantsRead {
            setInterest(connection, read: !connection.readingPaused, write: false)
        }
        if resumed, connections[Int(connection.fileDescriptor)] === connection, connection.transport.hasBufferedInput {
            read(connection)
        }
    }

    /// After the last response, the write side is shut and input is read and dropped until
    /// the client closes (or a short timeout): closing at once with unread input would send
    /// a reset that can destroy the response before the client reads it (RFC 9112 §9.6).
    private func beginLingering(_ connection: Connection) {
        connection.transport.shutdown()
        connection.lingering = true
        connection.lastActivity = now
        connection.inbound = []
        setInterest(connection, read: true, write: false)
    }

    private func discardInput(_ connection: Connection) {
        for _ in 0..<16 {
            switch connection.transport.read(into: readBuffer) {
            case .done:
                continue
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

    private func pauseReading(_ connection: Connection) {
        connection.readingPaused = true
        setInterest(connection, read: false, write: true)
    }

    private func setInterest(_ connection: Connection, read: Bool, write: Bool) {
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
    private func close(_ connection: Connection, orderly: Bool = false) {
        let fd = Int(connection.fileDescriptor)
        guard connections[fd] === connection else { return }
        streams.remove(connection)
        if orderly && !connection.lingering { connection.transport.shutdown() }
        connections[fd] = nil
        openConnections -= 1
        poller.remove(connection.fileDescriptor)
        connection.transport.close()
        metrics.connectionClosed()
    }

    // MARK: - Time

    private func sweepTimeouts() {
        if acceptPausedUntil != nil, let until = acceptPausedUntil, now >= until, !stopping.load(ordering: .relaxed) {
            acceptPausedUntil = nil
            try? poller.add(listener, readable: true, writable: false)
        }
        for case let connection? in connections {
            if connection.lingering {
                if now - connection.lastActivity >= HTTPLimits.lingerSeconds { close(connection) }
            } else if let started = connection.headStartedAt, now - started >= HTTPLimits.headerTimeoutSeconds {
                connection.inbound = []
                connection.headStartedAt = nil
                let encoded = EncodedResponse.problem(.requestTimeout)
                send(encoded, to: connection, head: false, keepAlive: false, minorVersion: 1)
                record(encoded, connection, started: MonotonicClock.nanoseconds())
                flush(connection)
            } else if !connection.handshakeDone, now - connection.lastActivity >= HTTPLimits.headerTimeoutSeconds {
                // A TLS handshake gets the time a request head gets, not the idle minute.
                close(connection)
            } else if connection.stream == nil, now - connection.lastActivity >= HTTPLimits.idleTimeoutSeconds {
                close(connection, orderly: true)
            }
        }
    }

    /// Stops accepting, closes idle connections, lets busy ones finish. True when done.
    private func beginOrContinueDrain() -> Bool {
        if drainDeadline == nil {
            drainDeadline = now + HTTPLimits.drainTimeoutSeconds
            poller.remove(listener)
        }
        streams.drain(flush: flush)
        for case let connection? in connections where connection.isIdle || !connection.handshakeDone {
            close(connection, orderly: true)
        }
        return openConnections == 0 || now >= drainDeadline!
    }
}
