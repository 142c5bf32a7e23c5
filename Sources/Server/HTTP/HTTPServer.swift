import Foundation
import Glibc
import Routes

/// The running server: one listening socket, one event loop thread per core.
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
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let descriptors = Int(min(limit.rlim_cur, 1 << 20))
        for index in 0..<max(1, loopCount) {
            loops.append(try EventLoop(listener: listener.fileDescriptors[index % listener.fileDescriptors.count], routers: routers, metrics: metrics,
                                       streams: streams, maximumDescriptors: descriptors, accessLog: accessLog, makeTransport: makeTransport))
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

    /// Stops accepting, lets responses in flight finish, and returns once every loop ended.
    func stop() {
        for loop in loops { loop.stop() }
    }

    func waitUntilStopped() {
        finished.wait()
        for fd in listener.fileDescriptors { Glibc.close(fd) }
    }
}
