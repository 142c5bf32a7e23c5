import Dispatch

#if !_endian(little)
#error("store snapshots write numbers in the machine's order, which must be little-endian")
#endif

/// A whole snapshot on disk: its parts, segments, masks and actor tallies as the memory
/// holds them, so that a restart reads the store back instead of building it again
/// (decoding every article and indexing every word is most of a warm start otherwise).
///
///     "LBSS" · format (UInt32)
///     payload  labels: per article id, bytes the caller gave (what the part was made from)
///              segments: each one's parts, positions, postings and mask
///              actor tallies
///     trailer  payload length (UInt64) · checksum of the payload (UInt64)
///
/// Numbers are LEB128 varints, arrays of numbers their raw little-endian elements after an
/// element count. The trailer comes last so that the file is written in one pass, in
/// pieces, never held whole in memory. A snapshot is only read by the binary that wrote it
/// (the caller keeps it beside the normalization cache, in a folder per build): the check
/// here is against damage and truncation, run beside the decoding and required before its
/// result is used; every read is bounds-checked besides, and positions are checked against
/// their segment.
public enum StoreSnapshot {
    /// Changes whenever the layout changes.
    public static let formatVersion: UInt32 = 3
    static let magic: [UInt8] = Array("LBSS".utf8)
    static let headerSize = 8
    static let trailerSize = 16
    /// Bytes the writer gathers before handing them to its sink.
    static let chunkBytes = 1 << 20

    static func refusal(_ why: String) -> StoreError { .invalidSnapshot(why) }
}

extension Store {
    /// Writes this snapshot in pieces to `sink`; `labels` (by article id) are kept with it and
    /// given back by `reading`.
    public func writeSnapshot(labels: [String: [UInt8]],
                              to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var writer = SnapshotWriter()
        writer.raw(StoreSnapshot.magic)
        writer.fixed(UInt64(StoreSnapshot.formatVersion), bytes: 4)
        writer.startPayload()
        writer.count(labels.count)
        for (id, label) in labels.sorted(by: { $0.key < $1.key }) {
            writer.string(id)
            writer.array(label)
        }
        try writer.flush(to: sink)
        try writeBody(to: &writer, sink: sink)
        let (length, checksum) = writer.endPayload()
        writer.fixed(length, bytes: 8)
        writer.fixed(checksum, bytes: 8)
        try writer.flush(to: sink, all: true)
    }

    /// The store a snapshot holds, and its labels, or why the bytes are not a whole, intact
    /// snapshot of this format. Like the empty store, it is generation 0: applying the
    /// first load to it makes no change event.
    public static func reading(snapshot bytes: UnsafeRawBufferPointer) throws(StoreError) -> (store: Store, labels: [String: [UInt8]]) {
        guard bytes.count >= StoreSnapshot.headerSize + StoreSnapshot.trailerSize else {
            throw StoreSnapshot.refusal("\(bytes.count) bytes, too short for a snapshot")
        }
        guard bytes.prefix(4).elementsEqual(StoreSnapshot.magic) else { throw StoreSnapshot.refusal("no LBSS magic at the start") }
        let format = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        guard format == StoreSnapshot.formatVersion else {
            throw StoreSnapshot.refusal("format \(format), expected \(StoreSnapshot.formatVersion)")
        }
        let trailer = bytes.count - StoreSnapshot.trailerSize
        let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: trailer, as: UInt64.self))
        guard length == UInt64(trailer - StoreSnapshot.headerSize) else {
            throw StoreSnapshot.refusal("the trailer announces \(length) payload bytes, \(trailer - StoreSnapshot.headerSize) are there")
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[StoreSnapshot.headerSize..<trailer])
        let expected = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: trailer + 8, as: UInt64.self))
        // The checksum runs beside the decoding (every read of which is bounds-checked, so
        // damaged bytes give an error, not a crash); nothing decoded is used unless it holds.
        let intact = Slots<Bool>(count: 1)
        let decoded = Slots<Result<(store: Store, labels: [String: [UInt8]]), StoreError>>(count: 1)
        nonisolated(unsafe) let shared = payload
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 {
                var checksum = WordChecksum()
                checksum.update(shared)
                intact.set(0, checksum.finish() == expected)
            } else {
                decoded.set(0, Result { () throws(StoreError) in try decodePayload(shared) })
            }
        }
        guard intact.values(default: false)[0] else { throw StoreSnapshot.refusal("checksum mismatch (damaged bytes)") }
        return try decoded.values(default: .failure(StoreSnapshot.refusal("not decoded")))[0].get()
    }

    private static func decodePayload(_ payload: UnsafeRawBufferPointer) throws(StoreError) -> (store: Store, labels: [String: [UInt8]]) {
        var reader = SnapshotReader(bytes: payload)
        do throws(StoreError) {
            var labels: [String: [UInt8]] = [:]
            let labelCount = try reader.count()
            labels.reserveCapacity(labelCount)
            for _ in 0..<labelCount {
                let id = try reader.string()
                labels[id] = try reader.array(of: UInt8.self)
            }
            let store = try readBody(from: &reader)
            guard reader.isAtEnd else { throw StoreSnapshot.refusal("\(reader.remaining) bytes after the store") }
            return (store, labels)
        } catch .invalidCacheEntry(let why) {
            // The field reader is the cache entries'; its refusals are this snapshot's.
            throw StoreSnapshot.refusal(why)
        }
    }
}

/// Gathers a snapshot's bytes and hands them on in chunks, hashing the payload on the way.
struct SnapshotWriter {
    private(set) var buffer: [UInt8] = []
    private var checksum = WordChecksum()
    private var payloadLength: UInt64 = 0
    private var inPayload = false

    init() { buffer.reserveCapacity(StoreSnapshot.chunkBytes + 4096) }

    mutating func startPayload() {
        precondition(!inPayload)
        // The header is not hashed: hand it on alone.
        inPayload = true
        headerBytes = buffer
        buffer.removeAll(keepingCapacity: true)
    }

    /// The header, kept until the first flush.
    private var headerBytes: [UInt8] = []

    mutating func endPayload() -> (length: UInt64, checksum: UInt64) {
        account()
        inPayload = false
        return (payloadLength, checksum.finish())
    }

    /// Hashes what the buffer holds of the payload (once, however often it is flushed).
    private var accounted = 0
    private mutating func account() {
        guard inPayload, accounted < buffer.count else { return }
        buffer.withUnsafeBytes { checksum.update(UnsafeRawBufferPointer(rebasing: $0[accounted...])) }
        payloadLength += UInt64(buffer.count - accounted)
        accounted = buffer.count
    }

    /// Hands on the buffer when it holds a chunk (or anything, with `all`).
    mutating func flush(to sink: (UnsafeRawBufferPointer) throws -> Void, all: Bool = false) rethrows {
        if !headerBytes.isEmpty {
            try headerBytes.withUnsafeBytes(sink)
            headerBytes = []
        }
        guard all || buffer.count >= StoreSnapshot.chunkBytes else { return }
        account()
        try buffer.withUnsafeBytes(sink)
        buffer.removeAll(keepingCapacity: true)
        accounted = 0
    }

    mutating func raw(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    mutating func fixed(_ value: UInt64, bytes: Int) {
        for i in 0..<bytes { buffer.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    mutating func count(_ n: Int) { EntryWriter.varint(UInt64(n), into: &buffer) }
    mutating func signed(_ n: Int64) { EntryWriter.varint(UInt64(bitPattern: (n << 1) ^ (n >> 63)), into: &buffer) }
    mutating func string(_ s: String) { EntryWriter.string(s, into: &buffer) }
    mutating func strings(_ list: [String]) { EntryWriter.strings(list, into: &buffer) }

    /// An element count, then the elements' bytes as they are in memory.
    mutating func array<Element: BitwiseCopyable>(_ elements: [Element]) {
        count(elements.count)
        elements.withUnsafeBytes { buffer.append(contentsOf: $0) }
    }
}

/// Reads what `SnapshotWriter` wrote, refusing to read past the end.
struct SnapshotReader {
    private var reader: EntryReader

    init(bytes: UnsafeRawBufferPointer) { reader = EntryReader(bytes: bytes) }

    var isAtEnd: Bool { reader.isAtEnd }
    var remaining: Int { reader.remaining }

    mutating func count() throws(StoreError) -> Int { try reader.count() }
    mutating func byte() throws(StoreError) -> UInt8 { try reader.byte() }
    /// A whole number 0 or more (not a count of what follows).
    mutating func number() throws(StoreError) -> Int {
        guard let value = Int(exactly: try reader.varint()) else { throw StoreSnapshot.refusal("a number out of range") }
        return value
    }

    mutating func int() throws(StoreError) -> Int {
        guard let value = Int(exactly: try reader.signed()) else { throw StoreSnapshot.refusal("a number out of range") }
        return value
    }
    mutating func string() throws(StoreError) -> String { try reader.string() }
    mutating func strings() throws(StoreError) -> [String] { try reader.strings() }

    mutating func array<Element: BitwiseCopyable>(of type: Element.Type) throws(StoreError) -> [Element] {
        let n = try reader.count()
        let size = n * MemoryLayout<Element>.stride
        guard size <= reader.remaining else {
            throw StoreSnapshot.refusal("an array of \(size) bytes with \(reader.remaining) left")
        }
        let start = reader.offset
        reader.skip(size)
        return [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: reader.bytes[start..<(start + size)]))
            initialized = n
        }
    }

    /// An array of positions, each below `limit`, ascending.
    mutating func positions(below limit: Int) throws(StoreError) -> [Int32] {
        let list = try array(of: Int32.self)
        var previous: Int32 = -1
        for position in list {
            guard position > previous, Int(position) < limit else {
                throw StoreSnapshot.refusal("a posting list out of order or past its segment's \(limit) positions")
            }
            previous = position
        }
        return list
    }
}
