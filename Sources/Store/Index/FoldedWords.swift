import Synchronization

/// The folded words an article is searched by: what `q` matches. Folding is most of the
/// cost of indexing, so a loader computes it beside the normalizer, on its workers, and the
/// normalization cache keeps it with the article: a warm start folds nothing.
public struct FoldedWords: Sendable, Equatable {
    /// The distinct words of the lede and of every headline, sorted (`ArticleOverview.words`).
    public var overview: [String]
    /// Per update, in the article's order: the distinct words of its headline and body, in
    /// order of appearance.
    public var updates: [[String]]

    public init(overview: [String], updates: [[String]]) {
        self.overview = overview
        self.updates = updates
    }

    public init(article: Article) {
        var words = Set(TextFolding.words(in: article.lede.joined(separator: " ")))
        for update in article.updates { words.formUnion(TextFolding.words(in: update.headline)) }
        overview = words.sorted()
        updates = article.updates.map(Self.of(update:))
    }

    static func of(update: Update) -> [String] {
        var seen: Set<String> = []
        var unique: [String] = []
        for text in [update.headline] + update.body {
            for word in TextFolding.words(in: text) where seen.insert(word).inserted { unique.append(word) }
        }
        return unique
    }
}

/// A part's update words, from the loader to the segment that first indexes the part, then
/// let go: kept per update they would be a third of the store.
final class WordsHandOff: Sendable {
    private let words: Mutex<[[String]]?>

    init(_ words: [[String]]?) { self.words = Mutex(words) }

    func words(at local: Int) -> [String]? { words.withLock { $0?[local] } }

    func release() { words.withLock { $0 = nil } }
}
