import Dispatch

/// An immutable inverted index over a set of article parts, positions in store order.
///
/// A snapshot is a few segments: one large one from the last full build and small ones, one
/// per batch of changed articles since. A change builds a segment of the changed articles
/// only; an article replaced or removed since is masked by the snapshot, not rewritten here.
final class Segment: Sendable {
    let parts: [ArticlePart]
    /// Per position: which part, which of its updates, and its time (for time bounds).
    private let partOf: [Int32]
    private let localOf: [Int32]
    private let times: [Int64]
    /// Positions (ascending) by part index, by actor id, by folded word, by minute of the day.
    let positionsByPart: [[Int32]]
    let partIndexByArticle: [String: Int32]
    private let positionsByActor: [String: [Int32]]
    private let positionsByWord: [String: [Int32]]
    private let positionsByMinute: [[Int32]]

    var count: Int { times.count }

    init(parts: [ArticlePart]) {
        self.parts = parts
        partIndexByArticle = Dictionary(parts.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { _, last in last })
        var refs: [(part: Int32, local: Int32)] = []
        refs.reserveCapacity(parts.reduce(0) { $0 + $1.updates.count })
        for (index, part) in parts.enumerated() {
            for local in part.updates.indices { refs.append((Int32(index), Int32(local))) }
        }
        refs.sort { a, b in
            parts[Int(a.part)].updates[Int(a.local)].key.precedes(parts[Int(b.part)].updates[Int(b.local)].key)
        }
        partOf = refs.map(\.part)
        localOf = refs.map(\.local)
        times = refs.map { parts[Int($0.part)].updates[Int($0.local)].time.secondsSinceEpoch }

        // Folding and splitting is most of the cost: done per part on every core, then the
        // postings are appended in position order, so every list comes out sorted.
        let wordsByPart = Self.foldedWords(of: parts)
        var byPart = Array(repeating: [Int32](), count: parts.count)
        var byActor: [String: [Int32]] = [:]
        var byWord: [String: [Int32]] = [:]
        var byMinute = Array(repeating: [Int32](), count: 24 * 60)
        for (position, ref) in refs.enumerated() {
            let p = Int32(position)
            let part = parts[Int(ref.part)]
            let update = part.updates[Int(ref.local)]
            byPart[Int(ref.part)].append(p)
            byMinute[update.time.secondOfDay / 60].append(p)
            var seen: Set<String> = []
            for actor in update.actors where seen.insert(actor).inserted {
                byActor[actor, default: []].append(p)
            }
            for word in wordsByPart[Int(ref.part)][Int(ref.local)] {
                byWord[word, default: []].append(p)
            }
        }
        positionsByPart = byPart
        positionsByActor = byActor
        positionsByWord = byWord
        positionsByMinute = byMinute
    }

    /// The distinct folded words of each update's headline and body, per part.
    private static func foldedWords(of parts: [ArticlePart]) -> [[[String]]] {
        let slots = Slots<[[String]]>(count: parts.count)
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            let words = parts[index].updates.map { update -> [String] in
                var seen: Set<String> = []
                var unique: [String] = []
                for text in [update.headline] + update.body {
                    for word in TextFolding.words(in: text) where seen.insert(word).inserted { unique.append(word) }
                }
                return unique
            }
            slots.set(index, words)
        }
        return slots.values(default: [])
    }

    func key(at position: Int32) -> UpdateKey {
        update(at: position).key
    }

    func update(at position: Int32) -> Update {
        parts[Int(partOf[Int(position)])].updates[Int(localOf[Int(position)])]
    }

    func reference(at position: Int32) -> UpdateReference {
        UpdateReference(part: parts[Int(partOf[Int(position)])], local: Int(localOf[Int(position)]))
    }

    func partIndex(at position: Int32) -> Int32 { partOf[Int(position)] }

    /// The positions that satisfy every condition of `filter`, in store order.
    func matches(_ filter: UpdateFilter, partIndex: (String) -> Int32?) -> PositionList {
        var lower = 0
        var upper = times.count
        if let until = filter.until?.secondsSinceEpoch { lower = times.partitionPoint { $0 <= until } }
        if let since = filter.since?.secondsSinceEpoch { upper = times.partitionPoint { $0 < since } }
        guard lower < upper else { return .empty }
        var lists: [ArraySlice<Int32>] = []
        for actor in filter.actors { lists.append(ArraySlice(positionsByActor[actor] ?? [])) }
        if let article = filter.article {
            lists.append(partIndex(article).map { ArraySlice(positionsByPart[Int($0)]) } ?? [])
        }
        for word in filter.words { lists.append(ArraySlice(positionsByWord[TextFolding.fold(word)] ?? [])) }
        if let minute = filter.minuteOfDay, (0..<positionsByMinute.count).contains(minute) {
            lists.append(ArraySlice(positionsByMinute[minute]))
        }
        guard !lists.isEmpty else { return .range(Int32(lower)..<Int32(upper)) }
        let bounded = lists.map { PositionList.clip($0, to: Int32(lower)..<Int32(upper)) }.sorted { $0.count < $1.count }
        if bounded.count == 1 { return .slice(bounded[0]) }
        return .array(PositionList.intersect(bounded))
    }
}

/// Where an update lives: its part and its place there.
public struct UpdateReference: Sendable {
    public let part: ArticlePart
    public let local: Int
    public var update: Update { part.updates[local] }
}

