import Dispatch

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
    /// Actor id -> the live parts that name it, sorted by article id (so a merge is the same
    /// whatever order the parts arrived in).
    private var partsByActor: [String: [ArticlePart]] = [:]

    func actor(id: String) -> Actor? { byID[id] }

    /// The directory after `removed` parts are gone and `added` ones are in.
    func applying(removed: [ArticlePart], added: [ArticlePart]) -> ActorDirectory {
        var next = self
        var affected: Set<String> = []
        for part in removed {
            for id in part.actorEntries.keys {
                affected.insert(id)
                // Mutated in place (not copied out and back), or every change would copy
                // the actor's whole list once per part.
                guard let index = next.partsByActor[id]?.partitionPoint(where: { $0.id >= part.id }),
                      next.partsByActor[id]?.indices.contains(index) == true,
                      next.partsByActor[id]?[index] === part else { continue }
                next.partsByActor[id]?.remove(at: index)
            }
        }
        for part in added {
            for id in part.actorEntries.keys {
                affected.insert(id)
                let index = next.partsByActor[id]?.partitionPoint(where: { $0.id >= part.id }) ?? 0
                next.partsByActor[id, default: []].insert(part, at: index)
            }
        }
        let stale = affected.compactMap { byID[$0] }
        // Each actor is merged from its own parts: on every core.
        let ids = Array(affected)
        let merged = Slots<Actor?>(count: ids.count)
        let partsByActor = next.partsByActor
        DispatchQueue.concurrentPerform(iterations: ids.count) { index in
            guard let parts = partsByActor[ids[index]], !parts.isEmpty else { return }
            merged.set(index, Self.merge(id: ids[index], parts: parts))
        }
        var fresh: [Actor] = []
        for (id, actor) in zip(ids, merged.values(default: nil)) {
            guard let actor else {
                next.partsByActor[id] = nil
                next.byID[id] = nil
                continue
            }
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
            guard let entry = part.actorEntries[id] else { continue }
            if let index = entry.record {
                let own = part.article.actors[index]
                if record == nil {
                    record = own
                } else {
                    record!.aliases.appendUnique(contentsOf: own.aliases)
                    record!.roles.appendUnique(contentsOf: own.roles)
                    if record!.affiliation == nil { record!.affiliation = own.affiliation }
                    record!.mentions += own.mentions
                }
            }
            updateCount += entry.updates.count
            for local in entry.updates {
                let update = part.updates[Int(local)]
                guard newest.admits(update.key) else { break }
                newest.insert(update.id, key: update.key, order: 0)
            }
            quoteCount += entry.quotes.count
            for (order, (local, quote)) in entry.quotes.enumerated() {
                let update = part.updates[Int(local)]
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
