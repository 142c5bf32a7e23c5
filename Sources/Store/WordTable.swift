/// Folded words -> small integers, looked up by their UTF-8 bytes: the lexicon's one lookup
/// per token, without hashing a `String` (SipHash) or comparing one. Open addressing with
/// linear probing over a power-of-two table kept at most half full; the words' bytes live in
/// one pool. Built once, then read only, so it is shared across threads.
struct WordTable: Sendable {
    /// Slot -> index of the word in `starts` + 1 (0: empty).
    private var slots: [Int32]
    private var pool: [UInt8] = []
    /// Where each word's bytes start in `pool`; word `k` ends where word `k + 1` starts.
    private var starts: [Int32] = [0]
    private let mask: Int

    /// `words` must be distinct; a word's value is its index in `words`.
    init(_ words: [String]) {
        var size = 16
        while size < words.count * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for word in words {
            pool.append(contentsOf: word.utf8)
            starts.append(Int32(pool.count))
            let id = starts.count - 2
            var slot = Int(truncatingIfNeeded: Self.hash(word.utf8)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// FNV-1a over the bytes, each first passed through `map`.
    @inline(__always)
    private static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes, _ map: (UInt8) -> UInt8 = { $0 }) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(map(byte))) &* 0x100_0000_01b3 }
        return h
    }

    /// The value of the word whose bytes these are, if it is in the table.
    func value(of bytes: UnsafeBufferPointer<UInt8>) -> Int? { probe(bytes) { $0 } }

    /// The value of the ASCII word these bytes are once their capitals are lowered.
    func value(ofLowering bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        probe(bytes) { byte in byte &- 0x41 < 26 ? byte | 0x20 : byte }
    }

    /// The word `map` makes of `bytes`, looked up without making it.
    @inline(__always)
    private func probe(_ bytes: UnsafeBufferPointer<UInt8>, _ map: (UInt8) -> UInt8) -> Int? {
        var slot = Int(truncatingIfNeeded: Self.hash(bytes, map)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            let start = Int(starts[entry - 1]), end = Int(starts[entry])
            if end - start == bytes.count, pool.withUnsafeBufferPointer({ pool in
                var k = 0
                while k < bytes.count, pool[start + k] == map(bytes[k]) { k += 1 }
                return k == bytes.count
            }) {
                return entry - 1
            }
            slot = (slot + 1) & mask
        }
    }

    func value(of word: String) -> Int? {
        var word = word
        return word.withUTF8 { value(of: $0) }
    }
}
