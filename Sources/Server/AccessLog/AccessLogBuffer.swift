import Glibc
import Routes
import Store

/// One loop's access log lines not yet handed to the writer. Confined to its loop.
///
/// A line: `{"time":"2026-12-01T21:11:33.123Z","method":"GET","target":"/updates?limit=5",
/// "status":200,"bytes":6123,"duration":0.000012,"remote":"127.0.0.1:50312"}`; `bytes` counts
/// the body sent, `duration` is in seconds from the complete request head to the response
/// queued for the socket. Written with the routes' `JSONWriter`, which escapes the target.
final class AccessLogBuffer {
    private let log: AccessLog
    private var bytes: [UInt8] = []
    private var lines = 0
    /// `2026-12-01T21:11:33`, made once a second.
    private var secondText = ""
    private var second = -1

    /// A buffer this full is handed over at once rather than at the end of the loop's turn.
    static let handOverBytes = 64 * 1024

    init(log: AccessLog) {
        self.log = log
        bytes.reserveCapacity(Self.handOverBytes)
    }

    func append(method: UnsafeRawBufferPointer?, target: UnsafeRawBufferPointer?, status: Int, bodyBytes: Int,
                nanoseconds: Int, remote: String) {
        var line = JSONWriter(capacity: 256)
        line.beginObject()
        line.field("time", timestamp())
        line.field("method", method.map { String(decoding: $0, as: UTF8.self) } ?? "")
        line.field("target", target.map { String(decoding: $0, as: UTF8.self) } ?? "")
        line.field("status", status)
        line.field("bytes", bodyBytes)
        line.key("duration")
        line.raw(Array(Self.seconds(nanoseconds).utf8))
        line.field("remote", remote)
        line.endObject()
        if bytes.count + line.bytes.count > AccessLog.maximumBufferedBytes {
            log.drop(lines: 1)
            return
        }
        bytes += line.bytes
        bytes.append(UInt8(ascii: "\n"))
        lines += 1
        if bytes.count >= Self.handOverBytes { handOver() }
    }

    /// Gives the lines to the writer; when its queue is busy they wait for the next turn.
    func handOver(wait: Bool = false) {
        guard lines > 0 else { return }
        if log.enqueue(bytes, lines: lines, wait: wait) {
            bytes.removeAll(keepingCapacity: true)
            lines = 0
        }
    }

    /// UTC, to the millisecond.
    private func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if now.tv_sec != second {
            second = now.tv_sec
            secondText = String(Instant(secondsSinceEpoch: Int64(now.tv_sec)).rfc3339.dropLast())
        }
        let milliseconds = now.tv_nsec / 1_000_000
        return secondText + (milliseconds < 10 ? ".00" : milliseconds < 100 ? ".0" : ".") + "\(milliseconds)Z"
    }

    /// `0.000012`: seconds to the microsecond.
    static func seconds(_ nanoseconds: Int) -> String {
        let microseconds = max(0, nanoseconds) / 1000
        let fraction = String(microseconds % 1_000_000)
        return "\(microseconds / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
