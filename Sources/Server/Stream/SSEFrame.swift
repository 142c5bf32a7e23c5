/// The bytes of the `text/event-stream` format (HTML Living Standard §9.2), and of the HTTP/1.1
/// chunks that carry them.
enum SSEFrame {
    /// `id: N`, `event: TYPE`, one `data:` line per line of `data`, and the blank line that
    /// dispatches the event. JSON from the routes is one line; a line break in `data` would
    /// otherwise end the field, so it starts a new `data:` line (which the client joins back).
    static func event(id: UInt64, type: String, data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 48)
        out.append(contentsOf: "id: \(id)\nevent: \(type)\ndata: ".utf8)
        var index = 0
        while index < data.count {
            let byte = data[index]
            if byte == 0x0D || byte == 0x0A {
                if byte == 0x0D, index + 1 < data.count, data[index + 1] == 0x0A { index += 1 }
                out.append(contentsOf: "\ndata: ".utf8)
            } else {
                out.append(byte)
            }
            index += 1
        }
        out.append(contentsOf: "\n\n".utf8)
        return out
    }

    /// The first bytes of every stream: how long to wait before reconnecting, and the
    /// position the stream starts at. A block with an id and no data dispatches nothing but
    /// sets the client's last event id, so a client that loses the connection before any
    /// event resumes from here instead of missing what came meanwhile.
    static func opening(retryMilliseconds: Int, position: UInt64) -> [UInt8] {
        Array("retry: \(retryMilliseconds)\nid: \(position)\n\n".utf8)
    }

    /// A comment line: ignored by clients, seen by proxies as traffic.
    static func comment(_ text: String) -> [UInt8] {
        Array(": \(text)\n\n".utf8)
    }

    /// The size line before `count` bytes of a chunk (RFC 9112 §7.1).
    static func chunkHead(count: Int) -> [UInt8] {
        Array((String(count, radix: 16) + "\r\n").utf8)
    }

    /// `data` as one whole chunk.
    static func chunk(_ data: [UInt8]) -> [UInt8] {
        chunkHead(count: data.count) + data + chunkEnd
    }

    static let chunkEnd: [UInt8] = Array("\r\n".utf8)
    /// The last chunk and the empty trailer section: the stream ended on purpose.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
}
