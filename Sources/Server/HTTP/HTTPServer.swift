import Foundation
import Glibc
import Routes

/// The running server: one event loop thread per core, each with its own socket of every
/// listener (the API's, and the HTTPS redirect's when there is one).
final class HTTPServer: @unchecked Sendable {
    let listener: Listener
    let routers: RouterBox
    private var loops: [EventLoop] = []
    private var threads: [Thread] = []
    private let finished = DispatchGroup()

    init(listener: Listener, routers: RouterBox, metrics: ServerMetrics, streams: StreamHub, loopCount: Int, accessLog: AccessLog? = nil,
         makeTransport: @escaping @Sendable (Int32) -> Transport) throws(SystemError) {
        self.listener = listener
        self.routers = routers
        for _ in 0..<max(1, loopCount) {
            loops.append(try EventLoop(routers: routers, metrics: metrics, streams: streams, accessLog: accessLog))
        }
        try add(listener, responder: .routes, makeTransport: makeTransport)
    }

    /// Serves `listener` with `responder` too; only before `start`. Each loop takes its own
    /// socket of it; with fewer sockets than loops, the first loop to have one owns it.
    func add(_ listener: Listener, responder: Responder,
             makeTransport: @escaping @Sendable (Int32) -> Transport) throws(SystemError) {
        let sockets = listener.fileDescriptors
        for (index, loop) in loops.enumerated() {
            try loop.add(EventLoop.ListenerBinding(fileDescriptor: sockets[index % sockets.count], responder: responder,
                                                   makeTransport: makeTransport, owned: index < sockets.count))
        }
    }

    func start() {
        for (index, loop) in loops.enumerated() {
            finished.enter()
            let thread = Thread { [finished] in
                loop.run()
                finished.leave()
            }
            thread.name = "liveblog-loop-\(index)"
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Stops accepting, answers what each connection has sent or sends within the drain
    /// grace (with `Connection: close`), and lets the loops end; see `waitUntilStopped`.
    func stop() {
        for loop in loops { loop.stop() }
    }

    /// Returns once every loop ended (each closed its connections and its listening sockets).
    func waitUntilStopped() {
        finished.wait()
    }
}
