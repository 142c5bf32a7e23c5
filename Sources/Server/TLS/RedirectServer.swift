import CLinux
import Foundation
import Glibc
import Synchronization

/// The plain-HTTP listener of `--redirect-http`: answers every request with a redirect to
/// the HTTPS listener and closes. One thread, non-blocking sockets, bounded in connections,
/// bytes and time; it shares the engine's listener, poller and request parser, not its loops.
final class RedirectServer: @unchecked Sendable {
    let listener: Listener
    private let httpsPort: Int
    private let poller: EpollPoller
    private var clients: [Int32: Client] = [:]
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    static let maximumClients = 1024
    /// Seconds a client has to send its request head, then to read the answer.
    static let timeoutSeconds = 10

    private final class Client {
        var inbound: [UInt8] = []
        var parser = RequestParser()
        var outbound: [UInt8] = []
        var answered = false
        let deadline: Int
        init(deadline: Int) { self.deadline = deadline }
    }

    init(listener: Listener, httpsPort: Int) throws(SystemError) {
        self.listener = listener
        self.httpsPort = httpsPort
        poller = try EpollPoller()
        try poller.add(listener.fileDescriptor, readable: true, writable: false)
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "liveblog-redirect"
        thread.start()
    }

    /// Stops within a poll interval; returns once the thread is done. A second call does nothing.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        for fd in clients.keys { Glibc.close(fd) }
        clients.removeAll()
        Glibc.close(listener.fileDescriptor)
    }

    private func run() {
        while !stopping.load(ordering: .acquiring) {
            poller.wait(timeoutMilliseconds: 200) { event in
                if event.fd == listener.fileDescriptor {
                    accept()
                } else if clients[event.fd] != nil {
                    serve(event.fd, event)
                }
            }
            let now = Self.seconds()
            for (fd, client) in clients where now >= client.deadline { close(fd) }
        }
    }

    private func accept() {
        for _ in 0..<64 {
            let fd = liveblog_accept_nonblocking(listener.fileDescriptor)
            guard fd >= 0 else { return }
            guard clients.count < Self.maximumClients, (try? poller.add(fd, readable: true, writable: false)) != nil else {
                Glibc.close(fd)
                continue
            }
            clients[fd] = Client(deadline: Self.seconds() + Self.timeoutSeconds)
        }
    }

    private func serve(_ fd: Int32, _ event: PollEvent) {
        guard let client = clients[fd] else { return }
        if event.readable || event.hangup {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) { return close(fd) }
            if n > 0 && !client.answered {
                client.inbound += chunk[0..<n]
                answer(client)
            }
        }
        if !client.outbound.isEmpty { flush(fd, client) }
    }

    private func answer(_ client: Client) {
        let response: EncodedResponse
        let outcome = client.inbound.withUnsafeBytes { bytes -> EncodedResponse? in
            switch client.parser.parse(bytes) {
            case .incomplete:
                return nil
            case .awaitingBody(let head), .request(let head, _):
                // A body, if any, is not waited for: the redirect is the answer either way.
                var host: String?
                for field in RequestParser.fields(of: head, in: bytes)
                where RequestParser.name(bytes, field.name, is: "host") {
                    host = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.value]), as: UTF8.self)
                }
                var target = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[head.target]), as: UTF8.self)
                if case .absolute(let path, let needsSlash) = TargetForm.classify(UnsafeRawBufferPointer(rebasing: bytes[head.target])) {
                    target = (needsSlash ? "/" : "") + String(decoding: path, as: UTF8.self)
                }
                return EncodedResponse(HTTPSRedirect.response(host: host, target: target, httpsPort: httpsPort))
            case .failure(let error):
                return EncodedResponse.problem(error)
            }
        }
        guard let encoded = outcome else { return }
        response = encoded
        client.answered = true
        client.inbound = []
        client.outbound = Array(response.head.bytes) + Array("Connection: close\r\n\r\n".utf8) + Array(response.body.bytes)
    }

    private func flush(_ fd: Int32, _ client: Client) {
        let n = client.outbound.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EAGAIN || errno == EINTR {
                try? poller.modify(fd, readable: true, writable: true)
                return
            }
            return close(fd)
        }
        client.outbound.removeFirst(n)
        if client.outbound.isEmpty {
            // Answered: shut our side, read (and drop) until the client closes or times out,
            // so unread input does not turn the close into a reset that eats the answer.
            _ = Glibc.shutdown(fd, Int32(SHUT_WR))
            try? poller.modify(fd, readable: true, writable: false)
        } else {
            try? poller.modify(fd, readable: true, writable: true)
        }
    }

    private func close(_ fd: Int32) {
        poller.remove(fd)
        Glibc.close(fd)
        clients[fd] = nil
    }

    private static func seconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec
    }
}
