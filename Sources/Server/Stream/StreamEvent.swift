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
    /// `id: … event: … data: …` and the blank line.
    let frame: ByteBlock
    /// The chunk-size line for `frame`, for HTTP/1.1 subscribers.
    let chunkHead: ByteBlock

    init(id: UInt64, kind: Kind, subject: Update?, data: [UInt8]) {
        self.id = id
        self.kind = kind
        self.subject = subject
        let bytes = SSEFrame.event(id: id, type: kind.rawValue, data: data)
        frame = ByteBlock(bytes)
        chunkHead = ByteBlock(SSEFrame.chunkHead(count: bytes.count))
    }

    /// Bytes this event holds in the history.
    var size: Int { frame.count + chunkHead.count }

    func matches(_ filter: UpdateFilter) -> Bool {
        guard let subject, filter != Self.everything else { return true }
        return filter.admits(subject)
    }

    private static let everything = UpdateFilter()
}
