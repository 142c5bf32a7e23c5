import CLinux
import Glibc
import HTTPParsing
import Routes
import Synchronization

/// One thread, one poller: accepts connections from its own listening sockets (the API's,
/// and the HTTPS redirect's when there is one), reads requests, answers them, and writes
/// without ever blocking. Every deadline (request, idle, write, linger, drain) is one entry
/// per connection in a heap, on the monotonic clock.
///
/// Everything a loop owns (connections, the read buffer, the response cache, the clocks) is
/// touched only by its own thread, so the hot path takes no lock.
final class EventLoop: @unchecked Sendable {
    /// A listening socket this loop accepts from, and what answers its connections.
    struct ListenerBinding {
        var fileDescriptor: Int32
        var responder: Responder
        var makeTransport: @Sendable (Int32) -> Transport
        /// This loop closes the socket when it stops (no other loop polls it).
        var owned: Bool
    }

    let poller: EpollPoller
    private var listeners: [ListenerBinding] = []
    private let routers: RouterBox
    let metrics: LoopCounters
    private let accessLog: AccessLogBuffer?
    private let wakeFD: Int32
    let streams: LoopStreams

    var connections = ConnectionTable()
    var timers = DeadlineHeap()
    var readBuffer: UnsafeMutableRawBufferPointer
    var writeBuffers: [UnsafeRawBufferPointer] = []
    private let cache = ResponseCache()
    private var router: Router
    private var routerGeneration: Int
    private var clock = HTTPDateClock()
    /// Monotonic milliseconds, read once per turn of the loop.
    var now: Int64 = 0
    private var acceptPausedUntil: Int64?
    private let stopping = Atomic<Bool>(false)
    private var drainStartedAt: Int64?

    static let readBufferBytes = 64 * 1024
    /// How long accepting pauses when the process is out of descriptors.
    static let acceptPauseMilliseconds: Int64 = 1000

    private static let keepAliveTail = ByteBlock("Connection: keep-alive\r\n\r\n")
    private static let closeTail = ByteBlock("Connection: close\r\n\r\n")
    private static let continueLine = ByteBlock("HTTP/1.1 100 Continue\r\n\r\n")
    private static let optionsAsterisk = EncodedResponse(Response(status: 204, headers: [("Allow", "GET, HEAD, OPTIONS")]))

    init(routers: RouterBox, metrics: ServerMetrics, streams hub: StreamHub, accessLog: AccessLog? = nil) throws(SystemError) {
        poller = try EpollPoller()
        self.routers = routers
        self.metrics = metrics.makeLoopCounters()
        self.accessLog = accessLog?.makeBuffer()
        routerGeneration = routers.generation
        router = routers.router
        readBuffer = .allocate(byteCount: Self.readBufferBytes, alignment: 16)
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SystemError("eventfd") }
        streams = LoopStreams(hub: hub, wakeFD: wakeFD, metrics: metrics)
        try poller.add(wakeFD, readable: true, writable: false)
    }

    deinit {
        readBuffer.deallocate()
        Glibc.close(wakeFD)
    }

    /// Adds a listening socket; only before `run`.
    func add(_ binding: ListenerBinding) throws(SystemError) {
        try poller.add(binding.fileDescriptor, readable: true, writable: false)
        listeners.append(binding)
    }

    /// Asks the loop to drain (see `beginDrain`) and return from `run`.
    func stop() {
        stopping.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    func run() {
        now = MonotonicClock.milliseconds()
        clock.tick()
        while true {
            poller.wait(timeoutMilliseconds: pollTimeout(), woke: wake) { event in
                if let binding = listeners.first(where: { $0.fileDescriptor == event.fd }) {
                    acceptConnections(binding)
                } else if event.fd == wakeFD {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeFD, &value, 8)
                    streams.deliverNew(now: now, send: { send($1, to: $0) }, close: { abort($0) })
                } else if let connection = connections[event.fd] {
                    handle(connection, event)
                    if connection.isOpen { scheduleDeadline(connection) }
                }
            }
            accessLog?.handOver()
            if drainStartedAt == nil, stopping.load(ordering: .acquiring) { beginDrain() }
            if drainStartedAt != nil { streams.drain(now: now, flush: flushAndReschedule) }
            expireDeadlines()
            resumeAcceptingWhenDue()
            if let started = drainStartedAt,
               connections.count == 0 || now >= started + Int64(HTTPLimits.drainTimeoutMilliseconds) {
                break
            }
        }
        for connection in connections.all { close(connection, orderly: true) }
        closeListeners()
        accessLog?.handOver(wait: true)
    }

    /// The clocks, read once per wake-up: the monotonic one for deadlines, the wall clock for
    /// the `Date` field.
    private func wake() {
        now = MonotonicClock.milliseconds()
        clock.tick()
    }

    /// Until the earliest deadline (or the end of an accept pause); forever when there is none.
    private func pollTimeout() -> Int32 {
        var next = timers.earliest ?? .max
        if let until = acceptPausedUntil { next = min(next, until) }
        if let started = drainStartedAt { next = min(next, started + Int64(HTTPLimits.drainTimeoutMilliseconds)) }
        if let due = streams.nextDrainTime { next = min(next, due) }
        guard next != .max else { return -1 }
        return Int32(clamping: max(0, next - now))
    }

    // MARK: - Accepting

    private func acceptConnections(_ binding: ListenerBinding) {
        if acceptPausedUntil != nil { return }
        for _ in 0..<64 {
            let fd = liveblog_accept_nonblocking(binding.fileDescriptor)
            if fd < 0 {
                switch errno {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop accepting for a while instead of spinning on
                    // a listener that stays readable.
                    pauseAccepting()
                    metrics.acceptFailed()
                default:
                    break
                }
                return
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = Connection(transport: binding.makeTransport(fd), responder: binding.responder, now: now)
            do {
                try poller.add(fd, readable: true, writable: false)
            } catch {
                connection.transport.close()
                continue
            }
            connections.insert(connection)
            scheduleDeadline(connection)
            metrics.connectionOpened()
        }
    }

    private func pauseAccepting() {
        acceptPausedUntil = now + Self.acceptPauseMilliseconds
        for binding in listeners { poller.remove(binding.fileDescriptor) }
    }

    private func resumeAcceptingWhenDue() {
        guard let until = acceptPausedUntil, now >= until, drainStartedAt == nil else { return }
        acceptPausedUntil = nil
        for binding in listeners { try? poller.add(binding.fileDescriptor, readable: true, writable: false) }
    }

    private func closeListeners() {
        for binding in listeners {
            poller.remove(binding.fileDescriptor)
            if binding.owned { Glibc.close(binding.fileDescriptor) }
        }
        listeners.removeAll()
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
            guard connection.isOpen else { return }
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

    func read(_ connection: Connection) {
        switch connection.transport.read(into: readBuffer) {
        case .done(let count):
            connection.lastActivity = now
            if connection.inbound.isEmpty {
                let consumed = process(connection, UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                if consumed < count, connection.isOpen {
                    connection.inbound = Array(UnsafeRawBufferPointer(rebasing: readBuffer[consumed..<count]))
                }
            } else {
                connection.inbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                processInbound(connection)
            }
            if connection.isOpen, !connection.outbound.isEmpty {
                flush(connection)
            }
            // TLS may hold records the poller cannot see: take them before waiting again.
            if connection.isOpen, !connection.readingPaused,
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
    func processInbound(_ connection: Connection) {
        let inbound = connection.inbound
        let consumed = inbound.withUnsafeBytes { process(connection, $0) }
        guard connection.isOpen else { return }
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
                if connection.requestStartedAt == nil { connection.requestStartedAt = now }
                return offset
            case .awaitingBody:
                if connection.requestStartedAt == nil { connection.requestStartedAt = now }
                if !connection.sentContinue {
                    connection.sentContinue = true
                    if connection.outbound.isEmpty { connection.lastWriteProgress = now }
                    connection.enqueue(Self.continueLine)
                }
                return offset
            case .request(let head, let consumed):
                connection.requestStartedAt = nil
                connection.sentContinue = false
                respond(connection, head, rest)
                offset += consumed
            case .failure(let error):
                // Nothing after bytes that are not a request can be framed: answer, close.
                connection.requestStartedAt = nil
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
        if case .redirectToHTTPS(let port) = connection.responder {
            let encoded = HTTPSRedirect.encodedResponse(to: head, in: buffer, httpsPort: port)
            send(encoded, to: connection, head: false, keepAlive: false, minorVersion: head.minorVersion)
            record(encoded, connection, started: started, method: UnsafeRawBufferPointer(rebasing: buffer[head.method]),
                   target: UnsafeRawBufferPointer(rebasing: buffer[head.target]))
            return
        }
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
        if connection.outbound.isEmpty { connection.lastWriteProgress = now }
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

    // MARK: - Time

    /// What a connection waits for, and until when: the first that applies.
    private enum Wait {
        case handshake, linger, write, request, drainGrace, heartbeat, idle
    }

    private func currentWait(_ connection: Connection) -> (Wait, Int64) {
        if connection.lingering {
            return (.linger, connection.lingerStartedAt + Int64(HTTPLimits.lingerMilliseconds))
        }
        if let drainStartedAt, connection.isIdle || !connection.handshakeDone {
            // One more request may be on its way: it gets the grace, counted from the stop
            // or from the last answer, whichever came later.
            return (.drainGrace, max(drainStartedAt, connection.lastActivity) + Int64(HTTPLimits.drainGraceMilliseconds))
        }
        if !connection.handshakeDone {
            // A TLS handshake gets the time a request gets, not the idle minute.
            return (.handshake, connection.acceptedAt + Int64(HTTPLimits.requestTimeoutMilliseconds))
        }
        if !connection.outbound.isEmpty {
            return (.write, connection.lastWriteProgress + Int64(HTTPLimits.writeTimeoutMilliseconds))
        }
        if let stream = connection.stream, stream.isActive {
            // A stream is never idle: it is quiet until its next heartbeat.
            return (.heartbeat, stream.heartbeatDue)
        }
        if let started = connection.requestStartedAt {
            return (.request, started + Int64(HTTPLimits.requestTimeoutMilliseconds))
        }
        return (.idle, connection.lastActivity + Int64(HTTPLimits.idleTimeoutMilliseconds))
    }

    func scheduleDeadline(_ connection: Connection) {
        timers.schedule(connection, at: currentWait(connection).1)
    }

    /// Acts on every connection whose deadline has come; one filed under a time that has
    /// since moved later is filed again.
    private func expireDeadlines() {
        while let connection = timers.popDue(now: now) {
            let (wait, deadline) = currentWait(connection)
            guard deadline <= now else {
                timers.schedule(connection, at: deadline)
                continue
            }
            switch wait {
            case .linger, .handshake:
                close(connection)
            case .write:
                // The client takes nothing of its answers: no reason to keep it, or what
                // the kernel still holds for it.
                streams.noteWriteTimeout(connection)
                abort(connection)
            case .request:
                connection.inbound = []
                connection.requestStartedAt = nil
                let encoded = EncodedResponse.problem(.requestTimeout)
                send(encoded, to: connection, head: false, keepAlive: false, minorVersion: 1)
                record(encoded, connection, started: MonotonicClock.nanoseconds())
                flush(connection)
            case .drainGrace:
                // A request may have come since the last poll: it still gets its answer.
                if connection.handshakeDone, !connection.readingPaused { read(connection) }
                if connection.isOpen, !connection.lingering, connection.isIdle || !connection.handshakeDone {
                    close(connection, orderly: true)
                }
            case .heartbeat:
                streams.heartbeat(connection, now: now, send: { send($1, to: $0) }, close: { abort($0) })
            case .idle:
                close(connection, orderly: true)
            }
            if connection.isOpen { scheduleDeadline(connection) }
        }
    }

    /// Stops accepting (what is already queued on the listeners is taken first, so that it
    /// is answered, not reset) and gives every idle connection the drain grace; the answers
    /// from now on say `Connection: close`. `run` ends when every connection is closed.
    private func beginDrain() {
        drainStartedAt = now
        acceptPausedUntil = nil
        for binding in listeners { acceptConnections(binding) }
        closeListeners()
        for connection in connections.all { scheduleDeadline(connection) }
    }
}
