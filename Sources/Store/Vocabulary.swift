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

    private var slots: UnsafeMutablePointer<Int32>
    private var mask: Int
    /// Per word: its text, folded form, prototype token, hash, and where its bytes start in `pool`.
    private var texts: UnsafeMutablePointer<String>
    private var foldedTexts: UnsafeMutablePointer<String>
    private var prototypes: UnsafeMutablePointer<Token>
    private var hashes: UnsafeMutablePointer<UInt64>
    private var starts: UnsafeMutablePointer<Int32>
    private var pool: UnsafeMutablePointer<UInt8>
    private var poolCapacity: Int
    private var room: Int
    private(set) var count = 0

    init() {
        room = 1 << 12
        slots = .allocate(capacity: room * 2)
        slots.initialize(repeating: 0, count: room * 2)
        mask = room * 2 - 1
        texts = .allocate(capacity: room)
        foldedTexts = .allocate(capacity: room)
        prototypes = .allocate(capacity: room)
        hashes = .allocate(capacity: room)
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
        prototypes.deallocate()
        hashes.deallocate()
        starts.deallocate()
        pool.deallocate()
    }

    @inline(__always)
    func text(of word: Int32) -> String { texts[Int(word)] }

    @inline(__always)
    func folded(of word: Int32) -> String { foldedTexts[Int(word)] }

    /// The token of the word or mark `bytes`, made by `make` (given this vocabulary and the
    /// number it gave the bytes, whose text and folded form it already holds) the first time.
    @inline(__always)
    func token(of bytes: UnsafeBufferPointer<UInt8>, isWord: Bool, make: (Vocabulary, Int32) -> Token) -> Token {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if hashes[entry - 1] == h, same(bytes, entry - 1) { return prototypes[entry - 1] }
            slot = (slot + 1) & mask
        }
        return add(bytes, hash: h, isWord: isWord, make: make)
    }

    @inline(__always)
    private func same(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        let start = Int(starts[index]), end = Int(starts[index + 1])
        return end - start == bytes.count && (bytes.isEmpty || memcmp(pool + start, bytes.baseAddress!, bytes.count) == 0)
    }

    private func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, isWord: Bool, make: (Vocabulary, Int32) -> Token) -> Token {
        if count == room { grow() }
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        let text = ascii ? TextFolding.asciiString(bytes, lowering: false) : String(decoding: bytes, as: UTF8.self)
        (texts + count).initialize(to: text)
        let folded = !isWord ? text : ascii ? (bytes.contains { $0 &- 0x41 < 26 } ? TextFolding.asciiString(bytes, lowering: true) : text)
            : TextFolding.fold(text)
        (foldedTexts + count).initialize(to: folded)
        let used = Int(starts[count])
        if used + bytes.count > poolCapacity {
            poolCapacity = max(poolCapacity * 2, used + bytes.count)
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: poolCapacity)
            larger.initialize(from: pool, count: used)
            pool.deallocate()
            pool = larger
        }
        if let base = bytes.baseAddress { (pool + used).initialize(from: base, count: bytes.count) }
        starts[count + 1] = Int32(used + bytes.count)
        hashes[count] = hash
        let number = Int32(count)
        let made = make(self, number)
        (prototypes + count).initialize(to: made)
        count += 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(count)
        return made
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
        prototypes = moved(prototypes, room)
        hashes = moved(hashes, room)
        let newStarts = UnsafeMutablePointer<Int32>.allocate(capacity: room + 1)
        newStarts.initialize(from: starts, count: count + 1)
        starts.deallocate()
        starts = newStarts
        slots.deallocate()
        slots = .allocate(capacity: room * 2)
        slots.initialize(repeating: 0, count: room * 2)
        mask = room * 2 - 1
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[index] ^ (hashes[index] >> 29)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    /// Empties the table once it holds `capacity` words. Call only where no token of this
    /// vocabulary is alive: before an article is tokenized.
    func makeRoom() {
        if count >= Self.capacity { empty() }
    }

    private func empty() {
        texts.deinitialize(count: count)
        foldedTexts.deinitialize(count: count)
        prototypes.deinitialize(count: count)
        slots.update(repeating: 0, count: mask + 1)
        count = 0
    }

    /// This thread's vocabulary, made on first use and released when the thread ends.
    static var current: Vocabulary {
        if let held = pthread_getspecific(threadKey) {
            return Unmanaged<Vocabulary>.fromOpaque(held).takeUnretainedValue()
        }
        let made = Vocabulary()
        pthread_setspecific(threadKey, Unmanaged.passRetained(made).toOpaque())
        return made
    }

    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { held in
            guard let held else { return }
            Unmanaged<Vocabulary>.fromOpaque(held).release()
        }
        return key
    }()
}
