import Glibc
import Routes
import Store

/// The `/stream` subscribers of one event loop, and the loop's position in the stream.
///
/// The hub wakes the loop through its eventfd; the loop then takes the events after its
/// position and, in one pass, writes them to every subscriber whose filter they match. The
/// bytes are encoded once and shared: a subscriber that takes every event is written one
/// block, straight to its socket, with nothing allocated for it. Confined to the loop's
/// thread; the loop passes in how to write to, flush and close a connection.
final class LoopStreams {
    private let hub: StreamHub
    private let metrics: ServerMetrics
    private var subscribers: [Connection] = []
    /// The last event this loop delivered.
    private var position: UInt64
    /// Shutdown: the streams to end, in order, and from when (monotonic milliseconds).
    private var closing: (order: [Connection], next: Int, startedAt: Int64)?

    private static let lastChunk = ByteBlock(SSEFrame.lastChunk)
    private static let heartbeat = ByteBlock(SSEFrame.comment("keep-alive"))
    private static let chunkedHeartbeat = ByteBlock(SSEFrame.chunk(SSEFrame.comment("keep-alive")))
    private static let closeTail = ByteBlock("Connection: close\r\n\r\n")
    private static let chunkedHead = ByteBlock(headText(chunked: true))
    private static let plainHead = ByteBlock(headText(chunked: false))

    private static func headText(chunked: Bool) -> String {
        EncodedResponse.headText(status: 200,
                                 headers: StreamRequest.responseHeaders + (chunked ? [("Transfer-Encoding", "chunked")] : []),
                                 contentLength: nil)
    }

    /// What `/metrics` and the access log count for a stream that opened.
    static let opened = EncodedResponse(Response(status: 200, headers: StreamRequest.responseHeaders, route: StreamRequest.path))

    init(hub: StreamHub, wakeFD: Int32, metrics: ServerMetrics) {
        self.hub = hub
        self.metrics = metrics
        position = hub.lastID
        hub.register {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    var count: Int { subscribers.count }

    /// `/stream` or `/stream?…`, as the target's raw bytes.
    static func isStreamTarget(_ target: UnsafeRawBufferPointer) -> Bool {
        let path = StreamRequest.path.utf8
        guard target.count >= path.count, target.prefix(path.count).elementsEqual(path) else { return false }
        return target.count == path.count || target[path.count] == UInt8(ascii: "?")
    }

    // MARK: - Opening

    /// Answers a `GET` or `HEAD` of `/stream` on `connection`; a refused request gets the
    /// problem back, for the loop to send as any response.
    func open(_ connection: Connection, _ request: Request, headOnly: Bool, minorVersion: Int,
              dateLine: ByteBlock, now: Int64) -> EncodedResponse? {
        let wanted: StreamRequest
        switch StreamRequest.parse(target: request.target, headers: request.headers) {
        case .failure(let problem):
            var response = problem.response
            response.route = StreamRequest.path
            return EncodedResponse(response)
        case .success(let parsed): wanted = parsed
        }
        let chunked = minorVersion >= 1
        connection.enqueue(chunked ? Self.chunkedHead : Self.plainHead)
        connection.enqueue(dateLine)
        connection.enqueue(Self.closeTail)
        if headOnly {
            connection.closeWhenFlushed = true
            return nil
        }
        var size = StreamLimits.socketSendBufferBytes
        _ = setsockopt(connection.fileDescriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))

        var opening = Array("retry: \(StreamLimits.retryMilliseconds)\n\n".utf8)
        var replay: ArraySlice<StreamEvent> = []
        var skipThrough: UInt64 = 0
        var idLine = true
        if let text = wanted.lastEventID {
            switch UInt64(text).map(hub.events(after:)) ?? .unknown {
            case .events(let missed):
                // What this loop delivered already; later events come with the next wake.
                replay = missed.prefix { $0.id <= position }
                skipThrough = UInt64(text) ?? 0
                idLine = skipThrough < position
            case .tooOld:
                opening += resetFrame("the events after \(text) are no longer kept (the server keeps the last \(StreamLimits.historyEvents))")
                idLine = false
            case .unknown:
                opening += resetFrame("'\(text)' is not a position of this server's stream")
                idLine = false
            }
        }
        let subscription = StreamSubscription(filter: wanted.filter, matchesNothing: wanted.matchesNothing, chunked: chunked,
                                              skipThrough: skipThrough, now: now, spread: Int(connection.fileDescriptor))
        connection.stream = subscription
        subscription.index = subscribers.count
        subscribers.append(connection)
        hub.counters.subscriberOpened()
        metrics.streamSubscribers(delta: 1)
        enqueue(opening, to: connection)
        var delivered = 0
        for event in replay where subscription.wants(event, subject: { event.subject.map(MatchableUpdate.init) }) {
            connection.enqueue(event.block(chunked: chunked))
            delivered += 1
        }
        metrics.streamEventsSent(delivered)
        // The position reached, with no data: a client that reconnects resumes from here.
        if idLine { enqueue(Array("id: \(position)\n\n".utf8), to: connection) }
        if closing != nil { end(connection) }
        return nil
    }

    private func resetFrame(_ detail: String) -> [UInt8] {
        hub.counters.sentReset()
        return SSEFrame.event(id: position, type: "reset", data: StreamEventData.reset(detail: detail + "; reload /updates"))
    }

    // MARK: - Writing

    /// The loop's way to write to a connection: `block` after whatever the connection has
    /// queued, straight to the socket when nothing is (the block is shared, never copied);
    /// only what the socket does not take is queued.
    typealias Send = (Connection, ByteBlock) -> Void

    private func enqueue(_ bytes: [UInt8], to connection: Connection) {
        guard let subscription = connection.stream else { return }
        connection.enqueue(ByteBlock(subscription.chunked ? SSEFrame.chunk(bytes) : bytes))
    }

    /// A subscriber whose queue is over the bound after a write stopped reading, and is
    /// closed rather than let it hold the others back or grow.
    private func dropIfStalled(_ connection: Connection, close: (Connection) -> Void) {
        guard connection.stream?.isActive == true, connection.pendingBytes > StreamLimits.maximumBufferedBytes else { return }
        hub.counters.closedStalled()
        close(connection)
    }

    /// The connection's write timeout passed with nothing taken, and the loop closes it: a
    /// subscriber that stopped reading, as much as one whose buffer overflowed.
    func noteWriteTimeout(_ connection: Connection) {
        guard connection.stream?.isActive == true else { return }
        hub.counters.closedStalled()
    }

    /// Called when the hub woke the loop: sends every event published since the last call.
    func deliverNew(now: Int64, send: Send, close: (Connection) -> Void) {
        guard hub.lastID > position else { return }
        switch hub.events(after: position) {
        case .events(let events):
            guard let last = events.last else { return }
            position = last.id
            fanOut(StreamBatch(events), now: now, send: send, close: close)
        case .tooOld, .unknown:
            // More changed at once than the history holds: what this loop had not sent yet
            // is gone, so every subscriber is told to reload.
            position = hub.lastID
            let frame = resetFrame("more changed at once than the server keeps")
            let blocks = (plain: ByteBlock(frame), chunked: ByteBlock(SSEFrame.chunk(frame)))
            for connection in subscribers.reversed() {
                guard let subscription = connection.stream else { continue }
                subscription.lastWrite = now
                send(connection, subscription.chunked ? blocks.chunked : blocks.plain)
                dropIfStalled(connection, close: close)
            }
        }
    }

    /// One pass over the subscribers, one write each: a subscriber that takes every event
    /// gets the batch's one shared block; one that takes some gets theirs, gathered into
    /// one write.
    private func fanOut(_ batch: StreamBatch, now: Int64, send: Send, close: (Connection) -> Void) {
        var batch = batch
        var delivered = 0
        // Backwards: closing a subscriber moves the last one into its place, already done.
        var index = subscribers.count - 1
        while index >= 0 {
            let connection = subscribers[index]
            index -= 1
            guard let subscription = connection.stream else { continue }
            if subscription.wantsAll(batch.events) {
                send(connection, batch.block(chunked: subscription.chunked))
                delivered += batch.events.count
            } else {
                var last: StreamEvent?
                var queued = 0
                for (offset, event) in batch.events.enumerated() where subscription.wants(event, subject: { batch.subject(at: offset) }) {
                    // Every one but the last waits in the queue, for the last one's write.
                    if let previous = last { connection.enqueue(previous.block(chunked: subscription.chunked)) }
                    last = event
                    queued += 1
                }
                guard let last else { continue }
                send(connection, last.block(chunked: subscription.chunked))
                delivered += queued
            }
            subscription.lastWrite = now
            dropIfStalled(connection, close: close)
        }
        metrics.streamEventsSent(delivered)
    }

    /// The connection's heartbeat is due (its loop keeps the deadline): a comment, so that
    /// proxies do not take the quiet stream for dead.
    func heartbeat(_ connection: Connection, now: Int64, send: Send, close: (Connection) -> Void) {
        guard let subscription = connection.stream, subscription.isActive else { return }
        subscription.lastWrite = now
        send(connection, subscription.chunked ? Self.chunkedHeartbeat : Self.heartbeat)
        dropIfStalled(connection, close: close)
    }

    // MARK: - Ending

    /// The connection is closing: it leaves the subscribers.
    func remove(_ connection: Connection) {
        guard let subscription = connection.stream, subscription.isActive else { return }
        let index = subscription.index
        subscription.index = -1
        let last = subscribers.removeLast()
        if index < subscribers.count {
            subscribers[index] = last
            last.stream?.index = index
        }
        metrics.streamSubscribers(delta: -1)
    }

    /// Ends a stream cleanly: whatever is queued (whole events only) is written, then the
    /// last chunk, then the connection closes.
    private func end(_ connection: Connection) {
        guard let subscription = connection.stream, subscription.isActive else { return }
        remove(connection)
        if subscription.chunked { connection.enqueue(Self.lastChunk) }
        connection.closeWhenFlushed = true
    }

    /// Called on every turn of a stopping loop: ends the streams one after another, spread
    /// over `StreamLimits.shutdownSpreadMilliseconds`.
    func drain(now: Int64, flush: (Connection) -> Void) {
        if closing == nil { closing = (subscribers, 0, now) }
        guard var plan = closing else { return }
        while plan.next < plan.order.count, dueTime(of: plan.next, in: plan) <= now {
            let connection = plan.order[plan.next]
            plan.next += 1
            guard connection.stream?.isActive == true else { continue }
            end(connection)
            flush(connection)
        }
        closing = plan
    }

    /// When `drain` next has a stream to end, while it has.
    var nextDrainTime: Int64? {
        guard let plan = closing, plan.next < plan.order.count else { return nil }
        return dueTime(of: plan.next, in: plan)
    }

    private func dueTime(of index: Int, in plan: (order: [Connection], next: Int, startedAt: Int64)) -> Int64 {
        plan.startedAt + Int64(StreamLimits.shutdownSpreadMilliseconds * index / max(1, plan.order.count))
    }
}
