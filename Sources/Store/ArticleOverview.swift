/// What a list of articles shows of one article: its title, its span of time, how many
/// updates it has and whom it names most. A pure function of one `Article`, so a store can
/// keep one per article however it is built.
public struct ArticleOverview: Sendable, Equatable {
    /// How many actors an overview names: the most mentioned first.
    public static let actorLimit = 20

    public var id: String
    public var date: String
    public var lede: [String]
    /// The first sentence of the lede, or the newest headline when there is no lede.
    public var title: String
    public var firstUpdate: Instant?
    public var lastUpdate: Instant?
    public var updateCount: Int
    /// Actor ids, most mentioned in this article first (ties: name, then id).
    public var actors: [String]
    /// The distinct folded words of the lede and of every headline, for `q`.
    public var words: SortedWordList

    /// `words`: `FoldedWords.overview` of the article, when it is at hand.
    public init(article: Article, words given: [String]? = nil) {
        id = article.id
        date = article.date
        lede = article.lede
        let newest = article.updates.max { $0.time < $1.time }
        title = Self.firstSentence(of: article.lede.first { !$0.isEmpty } ?? "") ?? newest?.headline ?? ""
        firstUpdate = article.updates.map(\.time).min()
        lastUpdate = newest?.time
        updateCount = article.updates.count
        actors = article.actors.sorted { a, b in
            if a.mentions != b.mentions { return a.mentions > b.mentions }
            if a.name != b.name { return a.name < b.name }
            return a.id < b.id
        }.prefix(Self.actorLimit).map(\.id)
        words = SortedWordList(given ?? FoldedWords.overview(of: article))
    }

    /// Whether every one of the words appears in the lede or a headline.
    public func contains(words wanted: [String]) -> Bool { contains(FoldedQuery(wanted)) }

    /// The same for words folded once, for a walk of many overviews.
    public func contains(_ query: FoldedQuery) -> Bool { query.words.allSatisfy(words.contains(bytes:)) }

    /// Query words folded and turned to UTF-8 once.
    public struct FoldedQuery: Sendable {
        let words: [[UInt8]]
        public init(_ words: [String]) { self.words = words.map { Array(TextFolding.fold($0).utf8) } }
        public var isEmpty: Bool { words.isEmpty }
    }

    /// Newest first by the newest update (an article without updates last), then by id.
    public static func listedBefore(_ a: ArticleOverview, _ b: ArticleOverview) -> Bool {
        switch (a.lastUpdate, b.lastUpdate) {
        case let (x?, y?) where x != y: return x > y
        case (.some, .none): return true
        case (.none, .some): return false
        default: return a.id < b.id
        }
    }

    /// Up to the first full stop, question or exclamation mark that ends a sentence: one
    /// followed by a space, or the end, and not after an honorific (`Dr.`), an initial or an
    /// initialism (`U.S.`). Nil for an empty paragraph.
    static func firstSentence(of paragraph: String) -> String? {
        let bytes = Array(paragraph.utf8)
        guard !bytes.isEmpty else { return nil }
        let (space, stop, question, exclamation): (UInt8, UInt8, UInt8, UInt8) = (0x20, 0x2E, 0x3F, 0x21)
        var wordStart = 0
        for (index, byte) in bytes.enumerated() {
            if byte == space { wordStart = index + 1; continue }
            guard byte == stop || byte == question || byte == exclamation,
                  index + 1 == bytes.count || bytes[index + 1] == space else { continue }
            let word = String(decoding: bytes[wordStart..<index], as: UTF8.self)
            let isAbbreviation = byte == stop && (word.count == 1 || word.contains(".")
                || Knowledge.honorifics.contains(TextFolding.fold(word)))
            if !isAbbreviation {
                return String(decoding: bytes[0...index], as: UTF8.self)
            }
        }
        return paragraph
    }
}

extension ArticleOverview {
    func write(to writer: inout SnapshotWriter) {
        writer.string(id); writer.string(date); writer.strings(lede); writer.string(title)
        for instant in [firstUpdate, lastUpdate] {
            if let instant { writer.count(1); writer.signed(instant.secondsSinceEpoch) } else { writer.count(0) }
        }
        writer.count(updateCount)
        writer.strings(actors)
        words.write(to: &writer)
    }

    init(reading reader: inout SnapshotReader) throws(StoreError) {
        id = try reader.string(); date = try reader.string(); lede = try reader.strings(); title = try reader.string()
        var instants: [Instant?] = []
        for _ in 0..<2 {
            instants.append(try reader.number() == 1 ? Instant(secondsSinceEpoch: Int64(try reader.int())) : nil)
        }
        (firstUpdate, lastUpdate) = (instants[0], instants[1])
        updateCount = try reader.number()
        actors = try reader.strings()
        words = try SortedWordList(reading: &reader)
    }
}

extension Store {
    /// The positions in `overviews` of the articles whose span of updates overlaps
    /// `since`…`until` and whose lede or headlines hold every one of `words`: a walk of the
    /// articles that reads each overview in place (copying one costs more than its test).
    public func overviewPositions(since: Instant?, until: Instant?, words: [String]) -> [Int] {
        let query = ArticleOverview.FoldedQuery(words)
        if since == nil, until == nil, query.isEmpty { return Array(overviews.indices) }
        return overviews.withUnsafeBufferPointer { overviews in
            overviews.indices.filter { position in
                if since != nil || until != nil {
                    guard let first = overviews[position].firstUpdate, let last = overviews[position].lastUpdate else {
                        return false
                    }
                    if let since, last < since { return false }
                    if let until, first > until { return false }
                }
                return query.words.allSatisfy { overviews[position].words.contains(bytes: $0) }
            }
        }
    }
}
