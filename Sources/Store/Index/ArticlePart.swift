import Synchronization

/// One article as the store holds it: its updates in store order, packed, and what the
/// indexes and lists need of it, built once when the article arrives and shared, unchanged,
/// by every snapshot that holds it. Replacing an article makes a new part; the others are
/// untouched.
public final class ArticlePart: Sendable {
    public let id: String
    /// Every actor the article names, with its mentions here (packed: read when it goes).
    private let packedRecords: PackedRecords
    public var records: [ActorRecord] { packedRecords.records }
    /// Unique for the life of the process: what later snapshots recognize a part by.
    public let serial: UInt64
    public let overview: ArticleOverview
    /// The updates, newest first, then by id.
    let packed: PackedUpdates
    /// Their folded words and actors, until the part is indexed.
    let pending: IndexingHandOff

    /// Packs `article` for the store: best done where the article was made (a loader's
    /// worker), so its values are freed at once rather than held until a snapshot is built.
    /// `words`, when given, are `FoldedWords(article:)` as computed before (a cache's).
    public convenience init(article: Article, words: FoldedWords? = nil) {
        self.init(article: article, words: words, serial: Self.serials.add(1, ordering: .relaxed).newValue)
    }

    private static let serials = Atomic<UInt64>(0)

    init(article input: Article, words: FoldedWords?, serial: UInt64) {
        let order = input.updates.indices.sorted { input.updates[$0].key.precedes(input.updates[$1].key) }
        let updates = order.map { input.updates[$0] }
        let words = words.flatMap { $0.updateCount == updates.count ? $0 : nil }
        id = input.id
        packedRecords = PackedRecords(input.actors)
        self.serial = serial
        var sorted = input
        sorted.updates = updates
        overview = ArticleOverview(article: sorted, words: words?.overview)
        packed = PackedUpdates(updates)
        pending = IndexingHandOff(words: words, order: order,
                                  contributions: Self.actorContributions(records: input.actors, updates: updates))
    }

    private init(id: String, packedRecords: PackedRecords, overview: ArticleOverview, packed: PackedUpdates) {
        self.id = id
        self.packedRecords = packedRecords
        serial = Self.serials.add(1, ordering: .relaxed).newValue
        self.overview = overview
        self.packed = packed
        pending = IndexingHandOff()
    }

    public var updateCount: Int { packed.count }

    /// The update at `local` (0 is the newest), decoded from the packed form.
    public func update(at local: Int) -> Update { packed.update(at: local, article: id) }

    /// Every update in store order, decoded: for a change, not for a page.
    public var updates: [Update] { (0..<packed.count).map(update(at:)) }

    /// An article holds tens of updates, rarely thousands: a walk costs less than an index
    /// per update would in memory.
    public func update(id: String) -> Update? {
        local(of: id).map(update(at:))
    }

    public func local(of id: String) -> Int? {
        packed.ids.firstIndex(of: id)
    }
}

extension ArticlePart {
    func write(to writer: inout SnapshotWriter) {
        writer.string(id)
        packedRecords.write(to: &writer)
        overview.write(to: &writer)
        packed.write(to: &writer)
    }

    /// A part as `write` kept it: indexed already, so nothing is pending.
    convenience init(reading reader: inout SnapshotReader) throws(StoreError) {
        let id = try reader.string()
        let records = try PackedRecords(reading: &reader)
        let overview = try ArticleOverview(reading: &reader)
        let packed = try PackedUpdates(reading: &reader)
        guard overview.id == id, overview.updateCount == packed.count else {
            throw StoreSnapshot.refusal("article \(id)'s overview does not match its updates")
        }
        self.init(id: id, packedRecords: records, overview: overview, packed: packed)
    }
}
