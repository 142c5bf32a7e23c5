/// One article as the store holds it: its updates in store order and what the indexes and
/// lists need of it, built once when the article arrives and shared, unchanged, by every
/// snapshot that holds it. Replacing an article makes a new part; the others are untouched.
public final class ArticlePart: Sendable {
    public let article: Article
    /// The article's updates in store order (newest first, then id).
    public let updates: [Update]
    /// Unique for the life of the process: what later snapshots (and the encoders in Routes)
    /// recognize a part by.
    public let serial: UInt64
    public let overview: ArticleOverview
    /// Actor id -> the actor's quotes in this article, newest first.
    let quotesByActor: [String: [ActorQuote]]
    /// Actor id -> local positions (ascending) of the updates that name it.
    let updatesByActor: [String: [Int32]]
    /// Update id -> local position.
    private let localByID: [String: Int32]

    public var id: String { article.id }

    init(article: Article, serial: UInt64) {
        self.article = article
        self.serial = serial
        let sorted = article.updates.sorted { $0.key.precedes($1.key) }
        updates = sorted
        var quotes: [String: [ActorQuote]] = [:]
        var byActor: [String: [Int32]] = [:]
        var byID: [String: Int32] = [:]
        for (local, update) in sorted.enumerated() {
            byID[update.id] = Int32(local)
            for quote in update.quotes {
                quotes[quote.actor, default: []].append(ActorQuote(update: update.id, text: quote.text))
            }
            var seen: Set<String> = []
            for actor in update.actors where seen.insert(actor).inserted {
                byActor[actor, default: []].append(Int32(local))
            }
        }
        quotesByActor = quotes
        updatesByActor = byActor
        localByID = byID
        overview = ArticleOverview(article: article)
    }

    public func update(id: String) -> Update? {
        localByID[id].map { updates[Int($0)] }
    }

    public func local(of id: String) -> Int? {
        localByID[id].map(Int.init)
    }
}
