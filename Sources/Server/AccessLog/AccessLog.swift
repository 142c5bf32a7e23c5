import Dispatch
import Foundation
import Glibc
import Synchronization

/// `--access-log`: one JSON line per request on standard output, written by a thread of its
/// own so that a slow reader of the output never slows a loop.
///
/// Each loop formats its lines into its own `AccessLogBuffer` and hands the bytes over once
/// per turn of the loop. The hand-over never waits: when the queue's lock is busy the loop
/// keeps its lines for the next turn, and when the writer is this far behind the lines are
/// dropped and counted (`liveblog_access_log_dropped_lines_total`).
final class AccessLog: Sendable {
    /// Output queued for the writer past which new lines are dropped.
    static let maximumQueuedBytes = 8 * 1024 * 1024
    /// A loop's buffer past which its lines are dropped (the queue has been busy that long).
    static let maximumBufferedBytes = 1024 * 1024

    private struct Queue {
        var batches: [[UInt8]] = []
        var bytes = 0
        var finishing = false
    }

    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let dropped: @Sendable (Int) -> Void
    private let output: Int32

    /// `dropped` is told how many lines were dropped, each time some are.
    init(output: Int32 = STDOUT_FILENO, dropped: @escaping @Sendable (Int) -> Void) {
        self.output = output
        self.dropped = dropped
    }

    func makeBuffer() -> AccessLogBuffer { AccessLogBuffer(log: self) }

    func start() {
        let thread = Thread { [self] in
            while true {
                wake.wait()
                let (batches, finishing) = queue.withLock { queue in
                    defer { queue.batches = []; queue.bytes = 0 }
                    return (queue.batches, queue.finishing)
                }
                for batch in batches { write(batch) }
                if finishing { break }
            }
            finished.signal()
        }
        thread.name = "liveblog-access-log"
        thread.start()
    }

    /// Writes what is queued and stops the writer: after the loops have stopped.
    func finish() {
        queue.withLock { $0.finishing = true }
        wake.signal()
        finished.wait()
    }

    /// Called by a loop. False when the queue was busy and nothing was taken (try again on
    /// the next turn); `wait` is for a loop's last hand-over, as it stops.
    func enqueue(_ bytes: [UInt8], lines: Int, wait: Bool = false) -> Bool {
        let accepted: Bool?
        if wait {
            accepted = queue.withLock { Self.take(bytes, into: &$0) }
        } else {
            accepted = queue.withLockIfAvailable { Self.take(bytes, into: &$0) }
        }
        guard let accepted else { return false }
        if accepted {
            wake.signal()
        } else {
            dropped(lines)
        }
        return true
    }

    func drop(lines: Int) { dropped(lines) }

    private static func take(_ bytes: [UInt8], into queue: inout Queue) -> Bool {
        if queue.bytes + bytes.count > maximumQueuedBytes { return false }
        queue.batches.append(bytes)
        queue.bytes += bytes.count
        return true
    }

    private func write(_ batch: [UInt8]) {
        batch.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(output, bytes.baseAddress! + offset, bytes.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
