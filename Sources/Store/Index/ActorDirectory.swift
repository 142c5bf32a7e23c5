/// An actor across the whole corpus: its record merged from every article that names it,
/// and bounded lists, so that an item's size never grows with the corpus.
public struct Actor: Sendable, Equatable {
    /// How many update ids and quotes an actor carries; the rest are paged through
    /// `/updates?actor=ID`.
    public static let listedUpdates = 20
    public static let listedQuotes = 50

    public var record: ActorRecord
    /// The newest `listedUpdates` update ids, newest first, and how many there are in all.
    public var updates: [String]
    public var updateCount: Int
    /// The newest `listedQuotes` quotes, newest first, and how many there are in all.
    public var quotes: [ActorQuote]
    public var quoteCount: Int

    public var id: String { record.id }
    public var name: String { record.name }
    public var kind: ActorKind { record.kind }
    public var mentions: Int { record.mentions }

    /// Most mentioned first, then name, then id: the order of `/actors`.
    func ranksBefore(_ other: Actor) -> Bool {
        if mentions != other.mentions { return mentions > other.mentions }
        if name != other.name { return name < other.name }
        return id < other.id
    }
}

public struct ActorQuote: Sendable, Equatable, Codable {
    public var update: String
    public var text: String
}

/// Every actor of a snapshot, most mentioned first. A change recomputes only the actors the
/// changed articles name, each from the parts that name it.
struct ActorDirectory: Sendable {
    private(set) var ranked: [Actor] = []
    private var byID: [String: Actor] = [:]
    /// Actor id -> the live parts that name it, by article id.
    private var partsByActor: [String: [String: ArticlePart]] = [:]

    func actor(id: String) -> Actor? { byID[id] }

    /// The directory after `removed` parts are gone and `added` ones are in.
    func applying(removed: [ArticlePart], added: [ArticlePart]) -> ActorDirectory {
        var next = self
        var affected: Set<String> = []
        for part in removed {
            for record in part.article.actors {
                affected.insert(record.id)
                next.partsByActor[record.id]?[part.id] = nil
            }
        }
        for part in added {
            for record in part.article.actors {
                affected.insert(record.id)
                next.partsByActor[record.id, default: [:]][part.id] = part
            }
        }
        let stale = affected.compactMap { byID[$0] }
        var fresh: [Actor] = []
        for id in affected {
            guard let parts = next.partsByActor[id], !parts.isEmpty else {
                next.partsByActor[id] = nil
                next.byID[id] = nil
                continue
            }
            let actor = Self.merge(id: id, parts: parts.values.sorted { $0.id < $1.id })
            next.byID[id] = actor
            fresh.append(actor)
        }
        if stale.count + fresh.count > ranked.count / 8 {
            next.ranked = Array(next.byID.values).sorted { $0.ranksBefore($1) }
        } else {
            // Few actors changed: take the old ones out and put the new ones in, by binary search.
            for actor in stale {
                let index = next.ranked.partitionPoint { !$0.ranksBefore(actor) }
                if index < next.ranked.count, next.ranked[index].id == actor.id { next.ranked.remove(at: index) }
            }
            for actor in fresh {
                next.ranked.insert(actor, at: next.ranked.partitionPoint { !$0.ranksBefore(actor) })
            }
        }
        return next
    }

    private static func merge(id: String, parts: [ArticlePart]) -> Actor {
        var record: ActorRecord?
        var updateCount = 0
        var quoteCount = 0
        var newest = Newest<String>(capacity: Actor.listedUpdates)
        var newestQuotes = Newest<ActorQuote>(capacity: Actor.listedQuotes)
        for part in parts {
            if let own = part.article.actors.first(where: { $0.id == id }) {
                if var merged = record {
                    merged.aliases.appendUnique(contentsOf: own.aliases)
                    merged.roles.appendUnique(contentsOf: own.roles)
                    merged.affiliation = merged.affiliation ?? own.affiliation
                    merged.mentions += own.mentions
                    record = merged
                } else {
                    record = own
                }
            }
            let locals = part.updatesByActor[id] ?? []
            updateCount += locals.count
            for local in locals {
                let update = part.updates[Int(local)]
                guard newest.admits(update.key) else { break }
                newest.insert(update.id, key: update.key, order: 0)
            }
            let quotes = part.quotesByActor[id] ?? []
            quoteCount += quotes.count
            for (order, quote) in quotes.enumerated() {
                guard let update = part.update(id: quote.update) else { continue }
                guard newestQuotes.admits(update.key) else { break }
                newestQuotes.insert(quote, key: update.key, order: order)
            }
        }
        return Actor(record: record ?? ActorRecord(id: id, name: id, kind: .organization),
                     updates: newest.values, updateCount: updateCount,
                     quotes: newestQuotes.values, quoteCount: quoteCount)
    }
}

/// The first `capacity` values in store order, kept sorted as they are offered.
private struct Newest<Value> {
    let capacity: Int
    private var entries: [(key: UpdateKey, order: Int, value: Value)] = []

    init(capacity: Int) { self.capacity = capacity }

    /// Whether a value at `key` could still be among the first: values offered from one
    /// part come in store order, so the first that can't lets the rest of that part go.
    func admits(_ key: UpdateKey) -> Bool {
        entries.count < capacity || key.precedes(entries[entries.count - 1].key)
            || key == entries[entries.count - 1].key
    }

    mutating func insert(_ value: Value, key: UpdateKey, order: Int) {
        let index = entries.partitionPoint { entry in
            key.precedes(entry.key) || (key == entry.key && order < entry.order)
        }
        guard index < capacity else { return }
        entries.insert((key, order, value), at: index)
        if entries.count > capacity { entries.removeLast() }
    }

    var values: [Value] { entries.map(\.value) }
}
