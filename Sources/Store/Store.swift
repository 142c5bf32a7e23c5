/// An immutable snapshot of a corpus with the indexes its queries need.
///
/// Built once per load; every query is a read, so one snapshot is shared by every thread
/// without locks. A reload builds a new snapshot beside the old one.
public final class Store: Sendable {
    /// Every update, newest first (ties: article id, then update id).
    public let updates: [Update]
    /// Every actor, most mentioned first (ties: name).
    public let actors: [Actor]
    /// The articles' summaries, by id.
    public let articles: [String: ArticleSummary]
    /// One overview per article, newest first (`ArticleOverview.listedBefore`), for `/articles`.
    public let overviews: [ArticleOverview]

    private let actorPosition: [String: Int]
    private let updatePosition: [String: Int]
    /// Positions in `updates`, ascending, of the updates that name an actor.
    private let positionsByActor: [String: [Int]]
    private let positionsByArticle: [String: [Int]]
    /// Folded word -> positions (ascending) of the updates whose headline or body holds it:
    /// an inverted index, far smaller than a set of words per update.
    private let positionsByWord: [String: [Int32]]

    public init(articles input: [Article]) {
        let sorted = input.flatMap(\.updates).sorted { a, b in
            if a.time != b.time { return a.time > b.time }
            if a.article != b.article { return a.article < b.article }
            return a.id < b.id
        }
        updates = sorted
        var updatePosition: [String: Int] = [:]
        var byActor: [String: [Int]] = [:]
        var byArticle: [String: [Int]] = [:]
        for (position, update) in sorted.enumerated() {
            updatePosition[update.id] = position
            byArticle[update.article, default: []].append(position)
            for actor in Set(update.actors) {
                byActor[actor, default: []].append(position)
            }
        }
        self.updatePosition = updatePosition
        positionsByActor = byActor
        positionsByArticle = byArticle
        var byWord: [String: [Int32]] = [:]
        for (position, update) in sorted.enumerated() {
            for word in Set(TextFolding.words(in: ([update.headline] + update.body).joined(separator: " "))) {
                byWord[word, default: []].append(Int32(position))
            }
        }
        positionsByWord = byWord

        var merged: [String: ActorRecord] = [:]
        var order: [String] = []
        for article in input {
            for record in article.actors {
                if var existing = merged[record.id] {
                    existing.aliases.appendUnique(contentsOf: record.aliases)
                    existing.roles.appendUnique(contentsOf: record.roles)
                    existing.affiliation = existing.affiliation ?? record.affiliation
                    existing.mentions += record.mentions
                    merged[record.id] = existing
                } else {
                    merged[record.id] = record
                    order.append(record.id)
                }
            }
        }
        var quotesByActor: [String: [ActorQuote]] = [:]
        for update in sorted {
            for quote in update.quotes {
                quotesByActor[quote.actor, default: []].append(ActorQuote(update: update.id, text: quote.text))
            }
        }
        let actors = order.compactMap { id -> Actor? in
            guard let record = merged[id] else { return nil }
            let positions = byActor[id] ?? []
            return Actor(record: record, updates: positions.map { sorted[$0].id }, quotes: quotesByActor[id] ?? [])
        }.sorted { a, b in
            if a.mentions != b.mentions { return a.mentions > b.mentions }
            if a.name != b.name { return a.name < b.name }
            return a.id < b.id
        }
        self.actors = actors
        actorPosition = Dictionary(uniqueKeysWithValues: actors.enumerated().map { ($1.id, $0) })

        var summaries: [String: ArticleSummary] = [:]
        for article in input {
            summaries[article.id] = ArticleSummary(id: article.id, date: article.date, lede: article.lede,
                                                   updateCount: article.updates.count)
        }
        articles = summaries
        overviews = input.map(ArticleOverview.init(article:)).sorted(by: ArticleOverview.listedBefore)
    }

    public func actor(id: String) -> Actor? {
        actorPosition[id].map { actors[$0] }
    }

    public func update(id: String) -> Update? {
        updatePosition[id].map { updates[$0] }
    }

    /// The positions in `updates` (newest first) of the updates that pass every condition.
    public func select(_ filter: UpdateFilter) -> [Int] {
        // Updates are sorted by time descending: the time bounds are one binary search each.
        var lower = 0
        var upper = updates.count
        if let until = filter.until {
            lower = firstPosition { $0.time <= until }
        }
        if let since = filter.since {
            upper = firstPosition { $0.time < since }
        }
        guard lower < upper else { return [] }

        var candidates: [Int]?
        for actor in filter.actors {
            let positions = positionsByActor[actor] ?? []
            candidates = candidates.map { Self.intersect($0, positions) } ?? positions
        }
        if let article = filter.article {
            let positions = positionsByArticle[article] ?? []
            candidates = candidates.map { Self.intersect($0, positions) } ?? positions
        }
        for word in filter.words.map(TextFolding.fold) {
            let positions = (positionsByWord[word] ?? []).map(Int.init)
            candidates = candidates.map { Self.intersect($0, positions) } ?? positions
        }
        let range = lower..<upper
        let pool: [Int] = candidates.map { $0.filter { range.contains($0) } } ?? Array(range)
        guard let minute = filter.minuteOfDay else { return pool }
        return pool.filter { updates[$0].time.secondOfDay / 60 == minute }
    }

    /// The first position whose update satisfies `predicate`, which must be false then true
    /// along the array.
    private func firstPosition(where predicate: (Update) -> Bool) -> Int {
        updates.partitionPoint(where: predicate)
    }

    private static func intersect(_ a: [Int], _ b: [Int]) -> [Int] {
        var i = 0, j = 0
        var out: [Int] = []
        while i < a.count && j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return out
    }
}

/// Conditions on updates; every one given must hold.
public struct UpdateFilter: Sendable, Equatable {
    /// Inclusive bounds.
    public var since: Instant?
    public var until: Instant?
    /// The update names every one of these actor ids.
    public var actors: [String]
    public var article: String?
    /// Every word appears in the headline or body, case- and accent-insensitively.
    public var words: [String]
    /// Minutes since midnight UTC: `HH:MM` on any day.
    public var minuteOfDay: Int?

    public init(since: Instant? = nil, until: Instant? = nil, actors: [String] = [], article: String? = nil,
                words: [String] = [], minuteOfDay: Int? = nil) {
        self.since = since
        self.until = until
        self.actors = actors
        self.article = article
        self.words = words
        self.minuteOfDay = minuteOfDay
    }
}

/// An actor across the whole corpus.
public struct Actor: Sendable, Equatable {
    public var id: String
    public var name: String
    public var kind: ActorKind
    public var aliases: [String]
    public var roles: [String]
    public var affiliation: String?
    public var mentions: Int
    /// Update ids, newest first.
    public var updates: [String]
    public var quotes: [ActorQuote]

    init(record: ActorRecord, updates: [String], quotes: [ActorQuote]) {
        id = record.id
        name = record.name
        kind = record.kind
        aliases = record.aliases
        roles = record.roles
        affiliation = record.affiliation
        mentions = record.mentions
        self.updates = updates
        self.quotes = quotes
    }
}

public struct ActorQuote: Sendable, Equatable, Codable {
    public var update: String
    public var text: String
}

public struct ArticleSummary: Sendable, Equatable {
    public var id: String
    public var date: String
    public var lede: [String]
    public var updateCount: Int
}

extension RandomAccessCollection where Index == Int {
    /// The first index whose element satisfies `predicate`, which must be false for a prefix
    /// and true for the rest (a binary search).
    public func partitionPoint(where predicate: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

extension Array where Element: Equatable {
    mutating func appendUnique(contentsOf other: [Element]) {
        for element in other where !contains(element) {
            append(element)
        }
    }
}
