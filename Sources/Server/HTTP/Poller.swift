import CLinux
import Glibc

/// Readiness notification, behind a small interface so that kqueue can follow epoll.
protocol Poller: AnyObject {
    /// Starts watching `fd`; `token` comes back with its events.
    func add(_ fd: Int32, readable: Bool, writable: Bool) throws(SystemError)
    func modify(_ fd: Int32, readable: Bool, writable: Bool) throws(SystemError)
    func remove(_ fd: Int32)
    /// Waits up to `timeoutMilliseconds` (-1: until an event), calls `woke` once it returns
    /// (to read the clock), then `handle` for each ready descriptor.
    func wait(timeoutMilliseconds: Int32, woke: () -> Void, _ handle: (PollEvent) -> Void)
}

struct PollEvent {
    var fd: Int32
    var readable: Bool
    var writable: Bool
    /// The peer hung up or the socket has an error: reading will say which.
    var hangup: Bool
}

/// A failed system call, with its name and errno, for messages an operator can act on.
struct SystemError: Error, CustomStringConvertible {
    var call: String
    var code: Int32

    init(_ call: String, _ code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// Level-triggered epoll: a descriptor with unread input is reported again on the next
/// wait, so a connection paused for back-pressure needs no bookkeeping to resume, and a
/// read that stops short (TLS hands out one record at a time) loses nothing. What edge
/// triggering would save, re-arming write interest, is rare here: a connection asks for
/// writability only when a `writev` was partial, so the steady state is one `read` and one
/// `writev` per request and no `epoll_ctl` at all.
final class EpollPoller: Poller {
    private let epollFD: Int32
    private var events: [epoll_event]

    static let eventsPerWait = 256

    init() throws(SystemError) {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SystemError("epoll_create1") }
        events = Array(repeating: epoll_event(), count: Self.eventsPerWait)
    }

    deinit { Glibc.close(epollFD) }

    private func control(_ op: Int32, _ fd: Int32, readable: Bool, writable: Bool) throws(SystemError) {
        var event = epoll_event()
        // RDHUP only with read interest: level-triggered, a half-closed peer would otherwise
        // wake the loop on every wait while its last responses are still being written.
        event.events = (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = fd
        guard epoll_ctl(epollFD, op, fd, &event) == 0 else { throw SystemError("epoll_ctl") }
    }

    func add(_ fd: Int32, readable: Bool, writable: Bool) throws(SystemError) {
        try control(EPOLL_CTL_ADD, fd, readable: readable, writable: writable)
    }

    func modify(_ fd: Int32, readable: Bool, writable: Bool) throws(SystemError) {
        try control(EPOLL_CTL_MOD, fd, readable: readable, writable: writable)
    }

    func remove(_ fd: Int32) {
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    func wait(timeoutMilliseconds: Int32, woke: () -> Void, _ handle: (PollEvent) -> Void) {
        let count = events.withUnsafeMutableBufferPointer {
            epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeoutMilliseconds)
        }
        woke()
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let event = events[index]
            handle(PollEvent(fd: event.data.fd,
                             readable: event.events & EPOLLIN.rawValue != 0,
                             writable: event.events & EPOLLOUT.rawValue != 0,
                             hangup: event.events & (EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0))
        }
    }
}
