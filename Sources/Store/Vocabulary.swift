import Foundation

/// The words and marks a thread's tokenizer has already made, by their bytes: each one's
/// text and folded form, made once, and its token as the scan and the lexicon left it
/// (letter flags, classes, gazetteer candidates). A word seen before costs one hash and one
/// comparison instead of two strings and a lexicon lookup, and tokens hold only its number,
/// so that the rules copy plain data. A news text repeats most of its words, as spaCy's
/// `Vocab` counts on.
///
/// One per thread (`Vocabulary.current`): tokenizing never locks, and what one thread learns
/// changes nothing another produces, since an entry is a pure function of the bytes.
/// Tokens read their text from the vocabulary that made them, so it is emptied only between
/// articles (`makeRoom`), never while an article's tokens are alive.
final class Vocabulary: @unchecked Sendable {
    /// Words held before `makeRoom` empties the table: a few MB per thread at most.
    static let capacity = 1 << 16

    /// Slot -> the word's hash in the high half and its number + 1 in the low half (0:
    /// empty), so that one load tells a miss from a candidate without touching the words.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    /// Per word: its text, folded form, its key (`Key`: first bytes and length, what a lookup
    /// compares), and where the rest of its bytes start in `pool`.
    private var texts: UnsafeMutablePointer<String>
    private var foldedTexts: UnsafeMutablePointer<String>
    private var entries: UnsafeMutablePointer<Entry>
    private var starts: UnsafeMutablePointer<Int32>
    private var pool: UnsafeMutablePointer<UInt8>
    private var poolCapacity: Int
    private var room: Int
    private(set) var count = 0

    /// What a lookup reads of a word: side by side, one cache line or two.
    private struct Entry {
        var prototype: Token
        /// The word's first eight bytes (zero-padded) and its length: the whole key of most words.
        var head: UInt64
        var length: Int
        /// Kept for rehashing when the table grows.
        var hash: UInt64
    }

    init() {
        room = 1 << 12
        slots = .allocate(capacity: room * 2)
        slots.initialize(repeating: 0, count: room * 2)
        mask = room * 2 - 1
        texts = .allocate(capacity: room)
        foldedTexts = .allocate(capacity: room)
        entries = .allocate(capacity: room)
        starts = .allocate(capacity: room + 1)
        starts[0] = 0
        poolCapacity = room * 8
        pool = .allocate(capacity: poolCapacity)
    }

    deinit {
        empty()
        slots.deallocate()
        texts.deallocate()
        foldedTexts.deallocate()
        entries.deallocate()
        starts.deallocate()
        pool.deallocate()
    }

    @inline(__always)
    func text(of word: Int32) -> String { texts[Int(word)] }

    @inline(__always)
    func folded(of word: Int32) -> String { foldedTexts[Int(word)] }

    /// The token of the word or mark `bytes`, made by `make` (given this vocabulary and the
    /// number it gave the bytes, whose text and folded form it already holds) the first time.
    /// The pointer is good until the next call: the table may move as it grows.
    @inline(__always)
    func prototype(of bytes: UnsafeBufferPointer<UInt8>, isWord: Bool, make: (Vocabulary, Int32) -> Token) -> UnsafePointer<Token> {
        let head = ByteHash.head(of: bytes)
        let h = ByteHash.hash(bytes, head: head)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if entries[index].head == head, entries[index].length == bytes.count, bytes.count <= 8 || sameTail(bytes, index) {
                    return prototype(index)
                }
            }
            slot = (slot + 1) & mask
        }
        return add(bytes, head: head, hash: h, isWord: isWord, make: make)
    }

    /// Whether the bytes after the first eight are those of word `index`.
    private func sameTail(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        memcmp(pool + Int(starts[index]), bytes.baseAddress! + 8, bytes.count - 8) == 0
    }

    @inline(__always)
    private func prototype(_ index: Int) -> UnsafePointer<Token> {
        UnsafePointer((entries + index).pointer(to: \Entry.prototype)!)
    }

    private func add(_ bytes: UnsafeBufferPointer<UInt8>, head: UInt64, hash: UInt64, isWord: Bool,
                     make: (Vocabulary, Int32) -> Token) -> UnsafePointer<Token> {
        if count == room { grow() }
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        let text = ascii ? TextFolding.asciiString(bytes, lowering: false) : String(decoding: bytes, as: UTF8.self)
        (texts + count).initialize(to: text)
        let folded = !isWord ? text : ascii ? (bytes.contains { $0 &- 0x41 < 26 } ? TextFolding.asciiString(bytes, lowering: true) : text)
            : TextFolding.fold(text)
        (foldedTexts + count).initialize(to: folded)
        let used = Int(starts[count])
        let tail = max(0, bytes.count - 8)
        if used + tail > poolCapacity {
            poolCapacity = max(poolCapacity * 2, used + tail)
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: poolCapacity)
            larger.initialize(from: pool, count: used)
            pool.deallocate()
            pool = larger
        }
        if tail > 0 { (pool + used).initialize(from: bytes.baseAddress! + 8, count: tail) }
        starts[count + 1] = Int32(used + tail)
        let number = Int32(count)
        let made = make(self, number)
        (entries + count).initialize(to: Entry(prototype: made, head: head, length: bytes.count, hash: hash))
        count += 1
        insert(hash: hash, number: count)
        return prototype(count - 1)
    }

    private func insert(hash: UInt64, number: Int) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(number)
    }

    /// Twice the room, the words rehashed into a table twice as large.
    private func grow() {
        func moved<T>(_ old: UnsafeMutablePointer<T>, _ capacity: Int) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: capacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }
        room *= 2
        texts = moved(texts, room)
        foldedTexts = moved(foldedTexts, room)
        entries = moved(entries, room)
        let newStarts = UnsafeMutablePointer<Int32>.allocate(capacity: room + 1)
        newStarts.initialize(from: starts, count: count + 1)
        starts.deallocate()
        starts = newStarts
        slots.deallocate()
        slots = .allocate(capacity: room * 2)
        slots.initialize(repeating: 0, count: room * 2)
        mask = room * 2 - 1
        for index in 0..<count { insert(hash: entries[index].hash, number: index + 1) }
    }

    /// Empties the table once it holds `capacity` words. Call only where no token of this
    /// vocabulary is alive: before an article is tokenized.
    func makeRoom() {
        if count >= Self.capacity { empty() }
    }

    private func empty() {
        texts.deinitialize(count: count)
        foldedTexts.deinitialize(count: count)
        entries.deinitialize(count: count)
        slots.update(repeating: 0, count: mask + 1)
        count = 0
    }

    /// This thread's vocabulary, made on first use and released when the thread ends.
    static var current: Vocabulary { PerThread.object(for: threadKey, make: Vocabulary.init) }

    private static let threadKey = PerThread.makeKey()
}
