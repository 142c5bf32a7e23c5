import Synchronization

/// An immutable snapshot of a corpus with the indexes its queries need.
///
/// Every query is a read, so one snapshot is shared by every thread without locks. A change
/// (`applying`) makes the next snapshot from this one: the articles that did not change keep
/// their parts, their index segment and (in Routes) their encoded JSON; only the changed
/// articles are indexed anew, in a small segment of their own, and their old versions masked.
public final class Store: Sendable {
    /// Counts snapshots from 0 (the empty store, or one read back from disk, before the first
    /// load is applied to it); the live store's change events carry it.
    public let generation: UInt64
    /// The live parts, by article id.
    public let parts: [String: ArticlePart]
    public let updateCount: Int
    /// One overview per live article, newest first (`ArticleOverview.listedBefore`), for `/articles`.
    public let overviews: [ArticleOverview]
    private let segments: [Segment]
    /// Per segment, the part indexes masked because a later segment (or nothing) replaced them.
    private let masked: [Set<Int32>]
    private let directory: ActorDirectory

    /// Small segments are folded into one full build past this share of the corpus (or
    /// count), so queries never merge more than a handful of lists.
    static let maximumSegments = 16
    static let smallSegmentShare = 8

    public static let empty = Store(generation: 0, parts: [:], updateCount: 0, overviews: [], segments: [], masked: [],
                                    directory: ActorDirectory())

    /// A snapshot of `articles` at once (articles with one id: the last one given wins).
    public convenience init(articles: [Article]) {
        let built = Store.empty.applying(upserts: articles, removals: []).store
        self.init(generation: built.generation, parts: built.parts, updateCount: built.updateCount,
                  overviews: built.overviews, segments: built.segments,
                  masked: built.masked, directory: built.directory)
    }

    private init(generation: UInt64, parts: [String: ArticlePart], updateCount: Int, overviews: [ArticleOverview],
                 segments: [Segment], masked: [Set<Int32>], directory: ActorDirectory) {
        self.generation = generation
        self.parts = parts
        self.updateCount = updateCount
        self.overviews = overviews
        self.segments = segments
        self.masked = masked
        self.directory = directory
    }

    // MARK: - Change

    /// The next snapshot: `upserts` added or replacing the article of the same id, `removals`
    /// (article ids) gone; and the change event that says what that did to the updates.
    public func applying(upserts: [Article], removals: [String]) -> (store: Store, change: StoreChange) {
        applying(parts: upserts.map { ArticlePart(article: $0) }, removals: removals)
    }

    /// The same, for articles already packed (`ArticlePart(article:)`).
    public func applying(parts upserts: [ArticlePart], removals: [String]) -> (store: Store, change: StoreChange) {
        var latest: [String: ArticlePart] = [:]
        for part in upserts { latest[part.id] = part }
        var replaced: [ArticlePart] = []
        var nextParts = parts
        var nextUpdateCount = updateCount
        var upserted: [Update] = []
        var removed: [String] = []
        let added = latest.values.sorted { $0.id < $1.id }
        // The first load is not news (`StoreChange.initial`), even onto a store read back
        // from a snapshot: its change lists nothing.
        let isNews = generation > 0
        for part in added {
            if let old = parts[part.id] {
                replaced.append(old)
                nextUpdateCount -= old.updateCount
                if isNews {
                    let (changed, gone) = Self.difference(from: old, to: part)
                    upserted += changed
                    removed += gone
                }
            } else if isNews {
                upserted += part.updates
            }
            nextUpdateCount += part.updateCount
            nextParts[part.id] = part
        }
        for id in Set(removals) where latest[id] == nil {
            guard let old = parts[id] else { continue }
            replaced.append(old)
            nextUpdateCount -= old.updateCount
            if isNews { removed += old.packed.ids }
            nextParts[id] = nil
        }
        var nextSegments = segments
        var nextMasked = masked
        for old in replaced {
            for (index, segment) in segments.enumerated() {
                if let position = segment.partIndexByArticle[old.id], segment.parts[Int(position)] === old {
                    nextMasked[index].insert(position)
                }
            }
        }
        if !added.isEmpty {
            nextSegments.append(Segment(parts: added))
            nextMasked.append([])
        }
        (nextSegments, nextMasked) = Self.compacted(nextSegments, masked: nextMasked)
        var nextOverviews = overviews
        if replaced.count + added.count > overviews.count / 8 {
            nextOverviews = nextParts.values.map(\.overview).sorted(by: ArticleOverview.listedBefore)
        } else {
            for old in replaced {
                let index = nextOverviews.partitionPoint { !ArticleOverview.listedBefore($0, old.overview) }
                if index < nextOverviews.count, nextOverviews[index].id == old.id { nextOverviews.remove(at: index) }
            }
            for part in added {
                nextOverviews.insert(part.overview,
                                     at: nextOverviews.partitionPoint { !ArticleOverview.listedBefore($0, part.overview) })
            }
        }
        let next = Store(generation: generation + 1, parts: nextParts, updateCount: nextUpdateCount, overviews: nextOverviews,
                         segments: nextSegments, masked: nextMasked,
                         directory: directory.applying(removed: replaced, added: added))
        let sortedUpserts = upserted.sorted { $0.key.precedes($1.key) }
        return (next, StoreChange(generation: next.generation, upserted: sortedUpserts, removed: removed.sorted(),
                                  initial: !isNews))
    }

    /// What replacing `old` by `new` did: updates new or changed, and ids gone.
    private static func difference(from old: ArticlePart, to new: ArticlePart) -> ([Update], [String]) {
        let before = Dictionary(old.updates.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(new.packed.ids)
        let changed = new.updates.filter { before[$0.id] != $0 }
        let gone = old.packed.ids.filter { !after.contains($0) }
        return (changed, gone)
    }

    /// Segments whose every part is masked go. Past `maximumSegments`, the small ones are
    /// merged into one; once the small ones and the masked updates outweigh a
    /// `smallSegmentShare` of the large one, everything is. Merges remap postings, so a
    /// merge costs the postings it moves and the large one is rewritten only that rarely.
    private static func compacted(_ segments: [Segment], masked: [Set<Int32>]) -> ([Segment], [Set<Int32>]) {
        let kept = segments.indices.filter { segments[$0].parts.count > masked[$0].count }
        var segments = kept.map { segments[$0] }
        var masked = kept.map { masked[$0] }
        guard segments.count > 1 else { return (segments, masked) }
        let largest = segments[0].count
        let smallUpdates = segments.dropFirst().reduce(0) { $0 + $1.count }
        let maskedUpdates = zip(segments, masked).reduce(0) { total, pair in
            pair.1.reduce(total) { $0 + pair.0.positionsByPart[Int($1)].count }
        }
        if (smallUpdates + maskedUpdates) * smallSegmentShare > largest {
            return ([Segment.merging(Array(zip(segments, masked)))], [[]])
        }
        if segments.count > maximumSegments {
            let small = Segment.merging(Array(zip(segments.dropFirst(), masked.dropFirst())))
            segments = [segments[0], small]
            masked = [masked[0], []]
        }
        return (segments, masked)
    }


    // MARK: - Reading

    public var articleCount: Int { parts.count }
    public var actorCount: Int { directory.ranked.count }
    /// Every actor's merged record, most mentioned first (ties: name, then id).
    public var actorRecords: [ActorRecord] { directory.ranked }
    /// Every actor with its lists, most mentioned first: for tests and small corpora; a
    /// list of actors pages through `actorRecords`.
    public var actors: [Actor] { directory.ranked.compactMap { actor(id: $0.id) } }

    /// The actor with its newest updates and quotes, read from the index.
    public func actor(id: String) -> Actor? {
        guard let tally = directory.tally(id: id) else { return nil }
        let updates = page(UpdateFilter(actors: [id]), limit: Actor.listedUpdates)
        var quotes: [ActorQuote] = []
        var quoted = UpdateFilter()
        quoted.quotedBy = id
        gather: for reference in page(quoted, limit: Actor.listedQuotes).references {
            let update = reference.update
            for quote in update.quotes where quote.actor == id {
                if quotes.count == Actor.listedQuotes { break gather }
                quotes.append(ActorQuote(update: update.id, text: quote.text))
            }
        }
        return Actor(record: tally.record, updates: updates.references.map(\.update.id), updateCount: tally.updateCount,
                     quotes: quotes, quoteCount: tally.quoteCount)
    }

    public func update(id: String) -> Update? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return parts[String(id[..<slash])]?.update(id: id)
    }

    /// One page of the updates that pass `filter`: the `limit` first after `cursor` in store
    /// order (or its reverse), and how many pass in all. Costs a binary search per segment
    /// and condition, the page, and, for several conditions, a walk of the shortest list.
    public func page(_ filter: UpdateFilter, ascending: Bool = false, after cursor: UpdateKey? = nil,
                     limit: Int) -> UpdatePage {
        var total = 0
        var streams: [SegmentStream] = []
        for (index, segment) in segments.enumerated() {
            let mask = masked[index]
            let matches = segment.matches(filter) { article in
                guard let index = segment.partIndexByArticle[article], !mask.contains(index) else { return nil }
                return index
            }
            guard !matches.isEmpty else { continue }
            var maskedMatches = 0
            for part in mask {
                maskedMatches += segment.positionsByPart[Int(part)].reduce(0) { $0 + (matches.contains(position: $1) ? 1 : 0) }
            }
            total += matches.count - maskedMatches
            var next: Int
            if ascending {
                next = cursor.map { key in matches.partitionPoint { !segment.key(at: $0).precedes(key) } } ?? matches.count
                next -= 1
            } else {
                next = cursor.map { key in matches.partitionPoint { key.precedes(segment.key(at: $0)) } } ?? 0
            }
            streams.append(SegmentStream(segment: segment, mask: mask, matches: matches, next: next, step: ascending ? -1 : 1))
        }
        var references: [UpdateReference] = []
        var more = false
        while streams.count == 1 {
            // One segment: its matches are the page in order, no keys to compare.
            streams[0].skipMasked()
            guard streams[0].hasCurrent else { break }
            if references.count == limit { more = true; break }
            references.append(streams[0].take())
        }
        while streams.count > 1 {
            var best: (stream: Int, key: UpdateKey)?
            for k in streams.indices {
                streams[k].skipMasked()
                guard let key = streams[k].currentKey else { continue }
                if let current = best, !(ascending ? current.key.precedes(key) : key.precedes(current.key)) { continue }
                best = (k, key)
            }
            guard let chosen = best?.stream else { break }
            if references.count == limit { more = true; break }
            references.append(streams[chosen].take())
        }
        return UpdatePage(references: references, total: total, hasMore: more)
    }
}

extension Store {
    /// Every segment with its mask, then the actor tallies (`writeSnapshot`).
    func writeBody(to writer: inout SnapshotWriter, sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        writer.count(segments.count)
        for (segment, mask) in zip(segments, masked) {
            try segment.write(to: &writer, sink: sink)
            writer.array(mask.sorted())
        }
        directory.write(to: &writer)
        // Their order, so that reading needs no sort.
        writer.strings(overviews.map(\.id))
    }

    /// The store `writeBody` kept: its live parts are the unmasked ones of its segments.
    static func readBody(from reader: inout SnapshotReader) throws(StoreError) -> Store {
        var segments: [Segment] = []
        var masked: [Set<Int32>] = []
        var parts: [String: ArticlePart] = [:]
        for _ in 0..<(try reader.count()) {
            let segment = try Segment(reading: &reader)
            let mask = Set(try reader.positions(below: segment.parts.count))
            for (index, part) in segment.parts.enumerated() where !mask.contains(Int32(index)) {
                guard parts.updateValue(part, forKey: part.id) == nil else {
                    throw StoreSnapshot.refusal("article \(part.id) live in two segments")
                }
            }
            segments.append(segment)
            masked.append(mask)
        }
        let directory = try ActorDirectory(reading: &reader)
        let order = try reader.strings()
        guard order.count == parts.count, Set(order).count == order.count else {
            throw StoreSnapshot.refusal("an article list of \(order.count) for \(parts.count) articles")
        }
        var overviews: [ArticleOverview] = []
        overviews.reserveCapacity(order.count)
        for id in order {
            guard let part = parts[id] else { throw StoreSnapshot.refusal("article \(id) listed but not stored") }
            overviews.append(part.overview)
        }
        return Store(generation: 0, parts: parts, updateCount: parts.values.reduce(0) { $0 + $1.updateCount },
                     overviews: overviews, segments: segments, masked: masked, directory: directory)
    }
}

/// A page of updates and what the list around it holds.
public struct UpdatePage: Sendable {
    public var references: [UpdateReference]
    /// Every update that passes the filter, on every page.
    public var total: Int
    /// Whether updates follow this page.
    public var hasMore: Bool
    public var updates: [Update] { references.map(\.update) }
}

/// One segment's matches, walked in the page's direction, masked parts skipped.
private struct SegmentStream {
    let segment: Segment
    let mask: Set<Int32>
    let matches: PositionList
    var next: Int
    let step: Int

    mutating func skipMasked() {
        guard !mask.isEmpty else { return }
        while matches.indices.contains(next), mask.contains(segment.partIndex(at: matches[next])) { next += step }
    }

    var hasCurrent: Bool { matches.indices.contains(next) }

    var currentKey: UpdateKey? {
        matches.indices.contains(next) ? segment.key(at: matches[next]) : nil
    }

    mutating func take() -> UpdateReference {
        defer { next += step }
        return segment.reference(at: matches[next])
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
    /// The update quotes this actor (for an actor's newest quotes; no parameter sets it).
    var quotedBy: String?

    public init(since: Instant? = nil, until: Instant? = nil, actors: [String] = [], article: String? = nil,
                words: [String] = [], minuteOfDay: Int? = nil) {
        self.since = since
        self.until = until
        self.actors = actors
        self.article = article
        self.words = words
        self.minuteOfDay = minuteOfDay
    }

    /// Whether one update passes; to test many filters, fold it once (`MatchableUpdate`).
    public func admits(_ update: Update) -> Bool {
        admits(MatchableUpdate(update))
    }
}
