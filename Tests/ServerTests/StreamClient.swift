import Foundation
import Glibc

/// A `/stream` subscriber over a real socket: sends the request, reads the response head,
/// undoes the chunked framing and splits the body into Server-Sent Events, every wait
/// bounded by the socket's receive timeout.
final class StreamClient {
    struct Event: Equatable {
        var id: String?
        var type: String
        var data: String
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] }
        static func == (a: Event, b: Event) -> Bool { a.id == b.id && a.type == b.type && a.data == b.data }
    }

    let raw: RawClient
    private(set) var status = 0
    private(set) var headers: [(name: String, value: String)] = []
    /// The last `id:` seen, with or without data (what a browser would send back).
    private(set) var lastID: String?
    private(set) var retry: Int?
    private(set) var comments = 0
    private var chunked = false
    private var received: [UInt8] = []
    private var body: [UInt8] = []
    private var chunkLeft = 0
    private(set) var ended = false

    init(_ server: LiveblogProcess, query: String = "", headers: [String] = [], timeoutSeconds: Int = 10,
         version: String = "HTTP/1.1") throws {
        raw = try server.connect(timeoutSeconds: timeoutSeconds)
        let extra = headers.map { $0 + "\r\n" }.joined()
        try raw.send("GET /stream\(query) \(version)\r\nHost: localhost\r\nAccept: text/event-stream\r\n\(extra)\r\n")
        try readHead()
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(raw.fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            received += chunk[0..<n]
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure("no event within \(raw.timeoutSeconds) s") }
        throw Failure("recv: \(String(cString: strerror(errno)))")
    }

    private func readHead() throws {
        while true {
            if let end = find([13, 10, 13, 10], in: received) {
                let lines = String(decoding: received[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
                status = Int(lines[0].split(separator: " ")[1]) ?? 0
                headers = lines.dropFirst().map { line in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
                }
                chunked = header("Transfer-Encoding")?.lowercased() == "chunked"
                received.removeFirst(end + 4)
                return
            }
            guard try fill() else { throw Failure("closed before a response head") }
        }
    }

    /// Moves what arrived into `body`, without the chunk framing. False at the end of the body.
    private func decode() throws -> Bool {
        guard chunked else {
            body += received
            received = []
            return true
        }
        while !received.isEmpty {
            if chunkLeft == 0 {
                guard let line = find([13, 10], in: received) else { return true }
                guard let size = Int(String(decoding: received[0..<line], as: UTF8.self), radix: 16) else {
                    throw Failure("bad chunk size line: \(String(decoding: received.prefix(40), as: UTF8.self))")
                }
                if size == 0 { ended = true; return false }
                received.removeFirst(line + 2)
                chunkLeft = size + 2
            }
            let take = min(chunkLeft, received.count)
            let dataBytes = min(take, max(0, chunkLeft - 2))
            body += received[0..<dataBytes]
            received.removeFirst(take)
            chunkLeft -= take
        }
        return true
    }

    /// The next event with data (comments and id-only blocks are noted, not returned); nil
    /// when the server ended the stream.
    func next() throws -> Event? {
        while true {
            if !ended, try !decode() { ended = true }
            if let end = find([10, 10], in: body) {
                let block = String(decoding: body[0..<end], as: UTF8.self)
                body.removeFirst(end + 2)
                var event = Event(id: nil, type: "message", data: "")
                var data: [String] = []
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix(":") { comments += 1; continue }
                    let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    var value = parts.count > 1 ? String(parts[1]) : ""
                    if value.hasPrefix(" ") { value.removeFirst() }
                    switch parts[0] {
                    case "id": event.id = value; lastID = value
                    case "event": event.type = value
                    case "data": data.append(value)
                    case "retry": retry = Int(value)
                    default: break
                    }
                }
                if data.isEmpty { continue }
                event.data = data.joined(separator: "\n")
                return event
            }
            if ended { return nil }
            guard try fill() else { ended = true; return nil }
        }
    }

    func next(_ count: Int) throws -> [Event] {
        var events: [Event] = []
        while events.count < count {
            guard let event = try next() else { throw Failure("the stream ended after \(events.count) of \(count) events") }
            events.append(event)
        }
        return events
    }

    /// True when nothing but comments arrives for `seconds` (the socket timeout stays).
    func isQuiet(for seconds: Double) throws -> Bool {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(raw.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        defer {
            var normal = timeval(tv_sec: raw.timeoutSeconds, tv_usec: 0)
            setsockopt(raw.fd, SOL_SOCKET, SO_RCVTIMEO, &normal, socklen_t(MemoryLayout<timeval>.size))
        }
        do {
            _ = try next()
            return false
        } catch let failure as Failure where failure.description.hasPrefix("no event") {
            return true
        }
    }

    private func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for i in 0...(bytes.count - pattern.count) where bytes[i] == pattern[0] {
            if pattern.indices.allSatisfy({ bytes[i + $0] == pattern[$0] }) { return i }
        }
        return nil
    }
}
