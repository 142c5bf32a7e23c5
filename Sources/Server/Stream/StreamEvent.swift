import Routes
import Store

/// One event of `/stream`, encoded once and shared by every subscriber it goes to: its
/// frame's bytes never move, so each connection's write points at the same block.
final class StreamEvent: Sendable {
    enum Kind: String, Sendable {
        case update, removed
    }

    let id: UInt64
    let kind: Kind
    /// What a filter is asked about: the new update, or the one removed when the previous
    /// snapshot still knew it (else nil, and every subscriber is told).
    let subject: Update?
    /// The frame as one HTTP/1.1 chunk: its size line, the frame, and the chunk's end.
    let chunk: ByteBlock
    /// `id: … event: … data: …` and the blank line, for HTTP/1.0 subscribers: the middle of
    /// `chunk`, the same bytes.
    let frame: ByteBlock

    init(id: UInt64, kind: Kind, subject: Update?, data: [UInt8]) {
        self.id = id
        self.kind = kind
        self.subject = subject
        let bytes = SSEFrame.event(id: id, type: kind.rawValue, data: data)
        let head = SSEFrame.chunkHead(count: bytes.count)
        chunk = ByteBlock(head + bytes + SSEFrame.chunkEnd)
        frame = ByteBlock(head.count..<(head.count + bytes.count), of: chunk)
    }

    /// Bytes this event holds in the history.
    var size: Int { chunk.count }

    func block(chunked: Bool) -> ByteBlock { chunked ? chunk : frame }
}
