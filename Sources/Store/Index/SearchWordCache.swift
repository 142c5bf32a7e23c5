import Foundation

/// The search words (`TextFolding.words`) of each distinct word a thread has folded, made
/// once, and the distinct words of an update gathered by number: a first load folds every
/// word of every update, and news repeats its words, so most words cost one lookup and no
/// string. What it gives is exactly what `TextFolding.words` gives, word for word.
///
/// One per thread (`SearchWordCache.withCurrent`), like the tokenizer's vocabulary; bounded:
/// past `capacity` words it starts again empty, between two updates.
struct SearchWordCache {
    /// Distinct words held before the cache starts again.
    static let capacity = 1 << 16

    /// Words as the tokenizer read them -> their entries in `formRanges`.
    private var written = ByteTable()
    /// Per written word, its search words: a range of `formNumbers`.
    private var formRanges: [Range<Int32>] = []
    private var formNumbers: [Int32] = []
    /// Search words (folded forms) -> their numbers, their text, and the set each was last given in.
    private var formTable = ByteTable()
    private var forms: [String] = []
    private var givenIn: [UInt32] = []
    private var currentSet: UInt32 = 0

    /// The distinct search words of `texts`, in order of first appearance.
    mutating func distinctWords(of texts: some Sequence<String>) -> [String] {
        if written.count >= Self.capacity { self = SearchWordCache() }
        currentSet &+= 1
        if currentSet == 0 {
            givenIn = [UInt32](repeating: 0, count: givenIn.count)
            currentSet = 1
        }
        var words: [String] = []
        withUnsafeMutablePointer(to: &self) { cache in
            for text in texts {
                var text = text
                var sink = Gatherer(cache: cache, words: words)
                words = []
                text.withUTF8 { Tokenizer.scan($0, into: &sink) }
                words = sink.words
            }
        }
        return words
    }

    private struct Gatherer: Tokenizer.Sink {
        let cache: UnsafeMutablePointer<SearchWordCache>
        var words: [String]

        mutating func word(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, shape: Tokenizer.WordShape, inQuote: Bool) {
            cache.pointee.give(UnsafeBufferPointer(rebasing: bytes), shape: shape, to: &words)
        }

        mutating func mark(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, inQuote: Bool, closesQuote: Bool) {}
    }

    /// Appends the search words of the written word `bytes` not yet given in this set.
    @inline(__always)
    private mutating func give(_ bytes: UnsafeBufferPointer<UInt8>, shape: Tokenizer.WordShape, to words: inout [String]) {
        let hash = ByteHash.hash(bytes)
        let entry = written.number(of: bytes, hash: hash) ?? learn(bytes, hash: hash, shape: shape)
        for k in formRanges[entry] {
            let form = Int(formNumbers[Int(k)])
            if givenIn[form] != currentSet {
                givenIn[form] = currentSet
                words.append(forms[form])
            }
        }
    }

    /// A word met for the first time: its search words, as the one search-word sink makes them.
    private mutating func learn(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, shape: Tokenizer.WordShape) -> Int {
        var one = TextFolding.SearchWords()
        one.word(bytes[...], shape: shape, inQuote: false)
        let first = Int32(formNumbers.count)
        for var form in one.words {
            let number = form.withUTF8 { formBytes in
                let formHash = ByteHash.hash(formBytes)
                return formTable.number(of: formBytes, hash: formHash) ?? formTable.add(formBytes, hash: formHash)
            }
            if number == forms.count {
                forms.append(form)
                givenIn.append(0)
            }
            formNumbers.append(Int32(number))
        }
        formRanges.append(first..<Int32(formNumbers.count))
        return written.add(bytes, hash: hash)
    }

    /// This thread's cache, for the length of `body`.
    static func withCurrent<T>(_ body: (inout SearchWordCache) -> T) -> T {
        body(&PerThread.object(for: threadKey, make: Box.init).cache)
    }

    private final class Box {
        var cache = SearchWordCache()
    }

    private static let threadKey = PerThread.makeKey()
}
