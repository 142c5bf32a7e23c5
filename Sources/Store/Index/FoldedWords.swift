/// The folded words an article is searched by: what `q` matches. Folding is most of the
/// cost of indexing, so a loader computes it beside the normalizer, on its workers, and the
/// normalization cache keeps it with the article: a warm start folds nothing.
///
/// Each update's words are kept packed in one byte string (length-prefixed UTF-8) until the
/// article is indexed: tens of thousands of articles wait for the index at a first load, and
/// as arrays of strings their words would be a heap of small objects the size of the store.
public struct FoldedWords: Sendable, Equatable {
    /// The distinct words of the lede and of every headline, sorted (`ArticleOverview.words`).
    public var overview: [String]
    /// Per update, in the article's order: the distinct words of its headline and body, in
    /// order of appearance, packed.
    public private(set) var packed: [UInt8]
    private var starts: [UInt32]

    public var updateCount: Int { starts.count - 1 }

    public init(overview: [String], updates: [[String]]) {
        self.overview = overview
        var packed: [UInt8] = []
        var starts: [UInt32] = [0]
        for words in updates {
            for word in words { EntryWriter.string(word, into: &packed) }
            starts.append(UInt32(packed.count))
        }
        self.packed = packed.exactCopy()
        self.starts = starts
    }

    /// Words packed as `packed` holds them, each update's run `starts[i]..<starts[i + 1]`.
    init(overview: [String], packed: [UInt8], starts: [UInt32]) {
        self.overview = overview
        self.packed = packed
        self.starts = starts
    }

    /// Each update's byte count in `packed`.
    var runLengths: [Int] { zip(starts.dropFirst(), starts).map { Int($0 - $1) } }

    public init(article: Article) {
        self.init(overview: Self.overview(of: article), updates: article.updates.map(Self.of(update:)))
    }

    /// The distinct words of the lede and of every headline, sorted.
    static func overview(of article: Article) -> [String] {
        SearchWordCache.withCurrent { cache in
            cache.distinctWords(of: CollectionOfOne(article.lede.joined(separator: " ")) + article.updates.lazy.map(\.headline))
        }.sorted()
    }

    /// The words of update `index` (in the article's order).
    public func words(ofUpdate index: Int) -> [String] {
        packed.withUnsafeBytes { raw in
            var reader = EntryReader(bytes: UnsafeRawBufferPointer(rebasing: raw[Int(starts[index])..<Int(starts[index + 1])]))
            var words: [String] = []
            while !reader.isAtEnd, let word = try? reader.string() { words.append(word) }
            return words
        }
    }

    public var updates: [[String]] { (0..<updateCount).map(words(ofUpdate:)) }

    /// The words of update `index`, as their UTF-8 bytes where they lie packed: the index
    /// reads them without a string per word.
    func forEachWord(ofUpdate index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        packed.withUnsafeBytes { raw in
            var reader = EntryReader(bytes: UnsafeRawBufferPointer(rebasing: raw[Int(starts[index])..<Int(starts[index + 1])]))
            while !reader.isAtEnd, let length = try? reader.count() {
                body(UnsafeRawBufferPointer(rebasing: reader.bytes[reader.offset..<(reader.offset + length)]).bindMemory(to: UInt8.self))
                reader.skip(length)
            }
        }
    }

    static func of(update: Update) -> [String] {
        SearchWordCache.withCurrent { $0.distinctWords(of: CollectionOfOne(update.headline) + update.body) }
    }
}
