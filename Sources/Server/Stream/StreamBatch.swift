import Store

/// The events a loop delivers on one wake-up, and each framing of all of them as one block,
/// made on first use: what every subscriber that takes them all is written, the same bytes
/// for every one of them.
///
/// Also each event's update with its words folded, made when a filter first asks: once per
/// loop and change, however many subscribers test it.
struct StreamBatch {
    let events: ArraySlice<StreamEvent>
    private var plain: ByteBlock?
    private var chunked: ByteBlock?
    private var subjects: [MatchableUpdate?]
    private var folded: [Bool]

    init(_ events: ArraySlice<StreamEvent>) {
        self.events = events
        subjects = []
        folded = []
    }

    /// The update of the event at `offset` (from the first), its words folded.
    mutating func subject(at offset: Int) -> MatchableUpdate? {
        if folded.isEmpty {
            subjects = Array(repeating: nil, count: events.count)
            folded = Array(repeating: false, count: events.count)
        }
        if !folded[offset] {
            folded[offset] = true
            subjects[offset] = events[events.startIndex + offset].subject.map(MatchableUpdate.init)
        }
        return subjects[offset]
    }

    /// Every event, in order: as one chunk for HTTP/1.1 subscribers, else the bare frames.
    mutating func block(chunked isChunked: Bool) -> ByteBlock {
        if events.count == 1, let only = events.first { return only.block(chunked: isChunked) }
        if let made = isChunked ? chunked : plain { return made }
        var frames: [UInt8] = []
        frames.reserveCapacity(events.reduce(0) { $0 + $1.frame.count })
        for event in events { frames.append(contentsOf: event.frame.bytes) }
        let block = ByteBlock(isChunked ? SSEFrame.chunk(frames) : frames)
        if isChunked { chunked = block } else { plain = block }
        return block
    }
}
