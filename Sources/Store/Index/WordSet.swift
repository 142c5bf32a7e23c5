/// Distinct words in order of arrival, told apart by their bytes: what indexing asks of a
/// `Set<String>` once per word of every update, without hashing each word with SipHash
/// (most of a first load's indexing time went there). Open addressing over a power-of-two
/// table kept at most half full.
struct WordSet {
    /// The distinct words, in the order they were first inserted.
    private(set) var words: [String] = []
    /// Slot -> the word's hash tag in the high half and its index + 1 in the low half (0: empty).
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        words.reserveCapacity(capacity)
    }

    /// Adds `word` unless it is there; whether it was added.
    @discardableResult
    mutating func insert(_ word: String) -> Bool {
        var word = word
        let hash = word.withUTF8 { ByteHash.hash($0) }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if slots[slot] & 0xFFFF_FFFF_0000_0000 == tag, words[Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF) - 1] == word {
                return false
            }
            slot = (slot + 1) & mask
        }
        words.append(word)
        slots[slot] = tag | UInt64(words.count)
        if words.count * 2 > slots.count { grow() }
        return true
    }

    mutating func insert(contentsOf words: some Sequence<String>) {
        for word in words { insert(word) }
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for index in words.indices {
            var word = words[index]
            let hash = word.withUTF8 { ByteHash.hash($0) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        }
    }
}
