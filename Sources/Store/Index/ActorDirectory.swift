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
}

public struct ActorQuote: Sendable, Equatable, Codable {
    public var update: String
    public var text: String
}

extension ActorRecord {
    /// Most mentioned first, then name, then id: the order of `/actors`.
    public func ranksBefore(_ other: ActorRecord) -> Bool {
        if mentions != other.mentions { return mentions > other.mentions }
        if name != other.name { return name < other.name }
        return id < other.id
    }
}

/// Every actor of a snapshot, most mentioned first, as sums and tallies over the live
/// articles: adding or removing an article costs what that article says about its actors,
/// never a walk of the other articles that name them. The bounded lists of an `Actor` come
/// from the index when it is asked for (`Store.actor(id:)`).
struct ActorDirectory: Sendable {
    /// The merged records, most mentioned first.
    private(set) var ranked: [ActorRecord] = []
    private var tallies: [String: ActorTally] = [:]

    func tally(id: String) -> ActorTally? { tallies[id] }

    /// The directory after `removed` parts are gone and `added` ones are in.
    func applying(removed: [ArticlePart], added: [ArticlePart]) -> ActorDirectory {
        var next = self
        var affected: Set<String> = []
        for (parts, sign) in [(removed, -1), (added, 1)] {
            for part in parts {
                for (id, contribution) in part.actorContributions() {
                    affected.insert(id)
                    next.tallies[id, default: ActorTally(id: id)].add(contribution, sign: sign)
                }
            }
        }
        let stale = affected.compactMap { tallies[$0]?.record }
        var fresh: [ActorRecord] = []
        for id in affected {
            if next.tallies[id]!.articles == 0 {
                next.tallies[id] = nil
            } else {
                next.tallies[id]!.settle()
                fresh.append(next.tallies[id]!.record)
            }
        }
        if stale.count + fresh.count > ranked.count / 8 {
            next.ranked = next.tallies.values.map(\.record).sorted { $0.ranksBefore($1) }
        } else {
            // Few actors changed: take the old ones out and put the new ones in, by binary search.
            for record in stale {
                let index = next.ranked.partitionPoint { !$0.ranksBefore(record) }
                if index < next.ranked.count, next.ranked[index].id == record.id { next.ranked.remove(at: index) }
            }
            for record in fresh {
                next.ranked.insert(record, at: next.ranked.partitionPoint { !$0.ranksBefore(record) })
            }
        }
        return next
    }
}

/// What one article says about one actor.
struct ActorContribution {
    var record: ActorRecord?
    /// Its updates that name the actor, and the quotes it gives the actor.
    var updates = 0
    var quotes = 0
}

/// What the live articles say about one actor. Each value of the record is tallied by the
/// number of articles that give it, so that removing an article takes exactly its share out;
/// the merged record shows the values most articles give first (ties in text order).
struct ActorTally: Sendable {
    let id: String
    /// Live articles that name the actor at all; the actor goes when none does.
    var articles = 0
    var mentions = 0
    var updateCount = 0
    var quoteCount = 0
    private var identities: [Identity: Int] = [:]
    private var aliases: [String: Int] = [:]
    private var roles: [String: Int] = [:]
    private var affiliations: [String: Int] = [:]
    /// The merged record, as of the last `settle()`.
    private(set) var record: ActorRecord

    private struct Identity: Hashable {
        var name: String
        var kind: ActorKind
    }

    init(id: String) {
        self.id = id
        record = ActorRecord(id: id, name: id, kind: .organization)
    }

    mutating func add(_ contribution: ActorContribution, sign: Int) {
        articles += sign
        updateCount += sign * contribution.updates
        quoteCount += sign * contribution.quotes
        guard let own = contribution.record else { return }
        mentions += sign * own.mentions
        Self.count(Identity(name: own.name, kind: own.kind), in: &identities, by: sign)
        for alias in IndexingHandOff.distinct(own.aliases) { Self.count(alias, in: &aliases, by: sign) }
        for role in IndexingHandOff.distinct(own.roles) { Self.count(role, in: &roles, by: sign) }
        if let affiliation = own.affiliation { Self.count(affiliation, in: &affiliations, by: sign) }
    }

    /// Rebuilds `record` from the tallies; an actor only ever named in passing (no article
    /// lists it) is an organization named by its id.
    mutating func settle() {
        let identity = Self.byCount(identities) { ($0.name, $0.kind.rawValue) < ($1.name, $1.kind.rawValue) }.first
        record = ActorRecord(id: id, name: identity?.name ?? id, kind: identity?.kind ?? .organization,
                             aliases: Self.byCount(aliases, <), roles: Self.byCount(roles, <),
                             affiliation: Self.byCount(affiliations, <).first, mentions: mentions)
    }

    private static func count<Key: Hashable>(_ key: Key, in tally: inout [Key: Int], by sign: Int) {
        let next = tally[key, default: 0] + sign
        tally[key] = next > 0 ? next : nil
    }

    private static func byCount<Key>(_ tally: [Key: Int], _ before: (Key, Key) -> Bool) -> [Key] {
        tally.sorted { $0.value != $1.value ? $0.value > $1.value : before($0.key, $1.key) }.map(\.key)
    }
}

extension ArticlePart {
    /// Actor id -> what this article says of it: computed when the part comes and goes, so
    /// the part keeps nothing per actor in between.
    func actorContributions() -> [String: ActorContribution] {
        pending.takeContributions() ?? Self.actorContributions(records: records, updates: updates)
    }

    static func actorContributions(records: [ActorRecord], updates: [Update]) -> [String: ActorContribution] {
        var contributions: [String: ActorContribution] = [:]
        for record in records where contributions[record.id] == nil {
            contributions[record.id] = ActorContribution(record: record)
        }
        for update in updates {
            for quote in update.quotes { contributions[quote.actor, default: ActorContribution()].quotes += 1 }
            var seen: Set<String> = []
            for actor in update.actors where seen.insert(actor).inserted {
                contributions[actor, default: ActorContribution()].updates += 1
            }
        }
        return contributions
    }
}

extension ActorDirectory {
    func write(to writer: inout SnapshotWriter) {
        writer.count(tallies.count)
        for tally in tallies.values { tally.write(to: &writer) }
    }

    init(reading reader: inout SnapshotReader) throws(StoreError) {
        let n = try reader.count()
        tallies.reserveCapacity(n)
        for _ in 0..<n {
            let tally = try ActorTally(reading: &reader)
            tallies[tally.id] = tally
        }
        ranked = tallies.values.map(\.record).sorted { $0.ranksBefore($1) }
    }
}

extension ActorTally {
    func write(to writer: inout SnapshotWriter) {
        writer.string(id)
        for number in [articles, mentions, updateCount, quoteCount] { writer.signed(Int64(number)) }
        writer.count(identities.count)
        for (identity, count) in identities {
            writer.string(identity.name); writer.string(identity.kind.rawValue); writer.count(count)
        }
        for tally in [aliases, roles, affiliations] {
            writer.count(tally.count)
            for (value, count) in tally { writer.string(value); writer.count(count) }
        }
    }

    /// A tally as `write` kept it, its record settled again.
    init(reading reader: inout SnapshotReader) throws(StoreError) {
        self.init(id: try reader.string())
        articles = try reader.int(); mentions = try reader.int(); updateCount = try reader.int(); quoteCount = try reader.int()
        for _ in 0..<(try reader.count()) {
            let name = try reader.string(), kindName = try reader.string()
            guard let kind = ActorKind(rawValue: kindName) else { throw StoreSnapshot.refusal("an actor of unknown kind") }
            identities[Identity(name: name, kind: kind)] = try reader.number()
        }
        func tally(_ reader: inout SnapshotReader) throws(StoreError) -> [String: Int] {
            var counts: [String: Int] = [:]
            for _ in 0..<(try reader.count()) { counts[try reader.string()] = try reader.number() }
            return counts
        }
        aliases = try tally(&reader); roles = try tally(&reader); affiliations = try tally(&reader)
        guard articles > 0 else { throw StoreSnapshot.refusal("actor \(id) named by no article") }
        settle()
    }
}
