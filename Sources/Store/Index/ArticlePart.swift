/// One article as the store holds it: its updates in store order and what the indexes and
/// lists need of it, built once when the article arrives and shared, unchanged, by every
/// snapshot that holds it. Replacing an article makes a new part; the others are untouched.
public final class ArticlePart: Sendable {
    /// The article, its updates in store order (newest first, then id).
    public let article: Article
    /// Unique for the life of the process: what later snapshots (and the encoders in Routes)
    /// recognize a part by.
    public let serial: UInt64
    public let overview: ArticleOverview

    public var id: String { article.id }

    /// The article's updates in store order (newest first, then id).
    public var updates: [Update] { article.updates }

    init(article input: Article, serial: UInt64) {
        var article = input
        article.updates.sort { $0.key.precedes($1.key) }
        self.article = article
        self.serial = serial
        overview = ArticleOverview(article: article)
    }

    /// An article holds tens of updates, rarely thousands: a walk costs less than an index
    /// per update would in memory.
    public func update(id: String) -> Update? {
        local(of: id).map { article.updates[$0] }
    }

    public func local(of id: String) -> Int? {
        article.updates.firstIndex { $0.id == id }
    }
}
