import Dispatch

/// An immutable inverted index over a set of article parts, positions in store order.
///
/// A snapshot is a few segments: a large one and small ones, one per batch of changed
/// articles since. A change indexes only the changed articles, in a segment of their own;
/// an article replaced or removed since is masked by the snapshot, not rewritten here.
/// Segments are merged by remapping their postings (`merging`), never by indexing again.
final class Segment: Sendable {
    let parts: [ArticlePart]
    /// Per position: which part, which of its updates, and its time (for time bounds).
    private let partOf: [Int32]
    private let localOf: [Int32]
    private let times: [Int64]
    /// Positions (ascending) by part index, by actor id named, by actor id quoted, by folded
    /// word, by minute of the day.
    let positionsByPart: [[Int32]]
    let partIndexByArticle: [String: Int32]
    private let postings: IndexedPostings

    /// The keyed posting lists of a segment as they are built or merged (`IndexedPostings`
    /// holds them for queries).
    struct Postings: Sendable {
        var byActor: [String: [Int32]] = [:]
        var byQuoter: [String: [Int32]] = [:]
        var byWord: [String: [Int32]] = [:]
        var byMinute = Array(repeating: [Int32](), count: 24 * 60)

        /// Postings of consecutive runs of positions, in run order, as one; every list in a
        /// buffer of its exact size.
        static func joining(_ runs: [Postings]) -> Postings {
            func join(_ lists: [[String: [Int32]]]) -> [String: [Int32]] {
                var sizes: [String: Int] = [:]
                for list in lists { for (key, positions) in list { sizes[key, default: 0] += positions.count } }
                var joined: [String: [Int32]] = [:]
                joined.reserveCapacity(sizes.count)
                for (key, size) in sizes {
                    joined[key] = [Int32](unsafeUninitializedCapacity: size) { buffer, initialized in
                        for list in lists {
                            guard let positions = list[key] else { continue }
                            _ = UnsafeMutableBufferPointer(rebasing: buffer[initialized...]).initialize(fromContentsOf: positions)
                            initialized += positions.count
                        }
                    }
                }
                return joined
            }
            var joined = Postings()
            joined.byActor = join(runs.map(\.byActor))
            joined.byQuoter = join(runs.map(\.byQuoter))
            joined.byWord = join(runs.map(\.byWord))
            joined.byMinute = joined.byMinute.indices.map { minute in runs.flatMap { $0.byMinute[minute] } }
            return joined
        }
    }

    var count: Int { times.count }

    private convenience init(parts: [ArticlePart], partOf: [Int32], localOf: [Int32], times: [Int64],
                             positionsByPart: [[Int32]], postings: Postings) {
        self.init(parts: parts, partOf: partOf, localOf: localOf, times: times, positionsByPart: positionsByPart,
                  indexed: IndexedPostings(postings, universe: times.count))
    }

    private init(parts: [ArticlePart], partOf: [Int32], localOf: [Int32], times: [Int64],
                 positionsByPart: [[Int32]], indexed postings: IndexedPostings) {
        self.parts = parts
        self.partOf = partOf
        self.localOf = localOf
        self.times = times
        self.positionsByPart = positionsByPart
        self.postings = postings
        partIndexByArticle = Dictionary(parts.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { _, last in last })
    }

    /// Indexes `parts` anew, by the words they were given (`FoldedWords`), or folded now.
    convenience init(parts: [ArticlePart]) {
        var refs: [(part: Int32, local: Int32)] = []
        refs.reserveCapacity(parts.reduce(0) { $0 + $1.updateCount })
        for (index, part) in parts.enumerated() {
            for local in 0..<part.updateCount { refs.append((Int32(index), Int32(local))) }
        }
        refs.sort { a, b in
            Self.precedes(parts[Int(a.part)], Int(a.local), parts[Int(b.part)], Int(b.local))
        }
        var byPart = Array(repeating: [Int32](), count: parts.count)
        var times: [Int64] = []
        times.reserveCapacity(refs.count)
        for (position, ref) in refs.enumerated() {
            times.append(parts[Int(ref.part)].packed.times[Int(ref.local)])
            byPart[Int(ref.part)].append(Int32(position))
        }
        // Decoding, folding and splitting is most of the cost: done on every core, each
        // worker over its own run of positions, so its lists come out sorted and the runs
        // join in order without a sort, and no update's words outlive its turn.
        let runs = Swift.max(1, Swift.min(Self.indexingRuns, refs.count / 1024))
        let slots = Slots<Postings>(count: runs)
        let (order, stamps) = (refs, times)
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            let (refs, times) = (order, stamps)
            var postings = Postings()
            var words = RunWords()
            for position in (refs.count * run / runs)..<(refs.count * (run + 1) / runs) {
                let (part, local) = (Int(refs[position].part), Int(refs[position].local))
                let p = Int32(position)
                postings.byMinute[Instant(secondsSinceEpoch: times[position]).secondOfDay / 60].append(p)
                let actors = parts[part].packed.actorKeys(at: local)
                for actor in actors.named { postings.byActor[actor, default: []].append(p) }
                for quoter in actors.quoted { postings.byQuoter[quoter, default: []].append(p) }
                if !parts[part].pending.forEachWord(at: local, { words.add($0, at: p) }) {
                    for word in FoldedWords.of(update: parts[part].update(at: local)) {
                        var word = word
                        word.withUTF8 { words.add($0, at: p) }
                    }
                }
            }
            postings.byWord = Dictionary(uniqueKeysWithValues: zip(words.words, words.positions))
            slots.set(run, postings)
        }
        for part in parts { part.pending.releaseWords() }
        self.init(parts: parts, partOf: refs.map(\.part), localOf: refs.map(\.local), times: times,
                  positionsByPart: byPart.map { $0.exactCopy() }, postings: Postings.joining(slots.values(default: Postings())))
    }

    /// The words of one worker's run by number while it lasts: one byte hash per word of an
    /// update, a string only for a word new to the run, and one dictionary entry per distinct
    /// word at the end.
    private struct RunWords {
        private var numbers = ByteTable()
        private(set) var words: [String] = []
        private(set) var positions: [[Int32]] = []

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int32) {
            let hash = ByteHash.hash(bytes)
            if let known = numbers.number(of: bytes, hash: hash) {
                positions[known].append(position)
                return
            }
            words.append(String(decoding: bytes, as: UTF8.self))
            positions.append([position])
            _ = numbers.add(bytes, hash: hash)
        }
    }

    /// Workers the index of a large segment is built by (more than cores, for balance).
    static let indexingRuns = 8


    /// One segment of the unmasked parts of `inputs`: positions merged in store order and
    /// every posting list remapped, so the cost follows the postings, not the text.
    static func merging(_ inputs: [(segment: Segment, masked: Set<Int32>)]) -> Segment {
        var parts: [ArticlePart] = []
        var partMaps: [[Int32]] = []
        for (segment, masked) in inputs {
            var map = [Int32](repeating: -1, count: segment.parts.count)
            for index in segment.parts.indices where !masked.contains(Int32(index)) {
                map[index] = Int32(parts.count)
                parts.append(segment.parts[index])
            }
            partMaps.append(map)
        }
        // Every input is in store order: a k-way merge of their unmasked positions.
        var positionMaps = inputs.map { [Int32](repeating: -1, count: $0.segment.count) }
        var heads = inputs.map { _ in 0 }
        var partOf: [Int32] = []
        var localOf: [Int32] = []
        var times: [Int64] = []
        var byPart = Array(repeating: [Int32](), count: parts.count)
        func advance(_ k: Int) {
            let segment = inputs[k].segment
            while heads[k] < segment.count, partMaps[k][Int(segment.partOf[heads[k]])] < 0 { heads[k] += 1 }
        }
        for k in inputs.indices { advance(k) }
        while true {
            var best = -1
            for k in inputs.indices where heads[k] < inputs[k].segment.count {
                if best < 0 || inputs[k].segment.precedes(heads[k], inputs[best].segment, heads[best]) { best = k }
            }
            guard best >= 0 else { break }
            let segment = inputs[best].segment
            let old = heads[best]
            let position = Int32(times.count)
            let part = partMaps[best][Int(segment.partOf[old])]
            positionMaps[best][old] = position
            partOf.append(part)
            localOf.append(segment.localOf[old])
            times.append(segment.times[old])
            byPart[Int(part)].append(position)
            heads[best] += 1
            advance(best)
        }
        var postings = Postings()
        for (k, input) in inputs.enumerated() {
            let map = positionMaps[k]
            let own = input.segment.postings
            Self.append(own.byActor, through: map, to: &postings.byActor)
            Self.append(own.byQuoter, through: map, to: &postings.byQuoter)
            Self.append(own.byWord, through: map, to: &postings.byWord)
            for minute in own.byMinute.indices where !own.byMinute[minute].isEmpty {
                postings.byMinute[minute] = Self.union(postings.byMinute[minute], Self.remap(own.byMinute[minute], map))
            }
        }
        return Segment(parts: parts, partOf: partOf, localOf: localOf, times: times, positionsByPart: byPart,
                       postings: postings)
    }

    private static func append(_ lists: [String: Posting], through map: [Int32], to merged: inout [String: [Int32]]) {
        for (key, posting) in lists {
            let mapped = remap(posting.positions, map)
            guard !mapped.isEmpty else { continue }
            if let existing = merged[key] {
                merged[key] = union(existing, mapped)
            } else {
                merged[key] = mapped
            }
        }
    }

    /// Old positions -> new ones, masked ones dropped; the map keeps order.
    private static func remap(_ list: [Int32], _ map: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(list.count)
        for position in list {
            let next = map[Int(position)]
            if next >= 0 { out.append(next) }
        }
        return out
    }

    /// Two ascending lists of distinct positions as one.
    private static func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [Int32] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// Store order between position `a` here and position `b` of `other`.
    private func precedes(_ a: Int, _ other: Segment, _ b: Int) -> Bool {
        Self.precedes(parts[Int(partOf[a])], Int(localOf[a]), other.parts[Int(other.partOf[b])], Int(other.localOf[b]))
    }

    /// Store order (`UpdateKey.precedes`) between two updates of parts, without decoding either.
    private static func precedes(_ left: ArticlePart, _ a: Int, _ right: ArticlePart, _ b: Int) -> Bool {
        let (leftTime, rightTime) = (left.packed.times[a], right.packed.times[b])
        if leftTime != rightTime { return leftTime > rightTime }
        if left.id != right.id { return left.id < right.id }
        return left.packed.id(a, precedes: b, of: right.packed)
    }

    func key(at position: Int32) -> UpdateKey {
        let part = parts[Int(partOf[Int(position)])]
        return UpdateKey(time: times[Int(position)], article: part.id, id: part.packed.id(at: Int(localOf[Int(position)])))
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
        let range = Int32(lower)..<Int32(upper)
        var lists: [PositionList] = []
        func add(_ posting: Posting?) { lists.append(posting?.clipped(to: range) ?? .empty) }
        for actor in filter.actors { add(postings.byActor[actor]) }
        if let quoter = filter.quotedBy { add(postings.byQuoter[quoter]) }
        if let article = filter.article {
            add(partIndex(article).map { Posting.list(positionsByPart[Int($0)]) })
        }
        for word in filter.words { add(postings.byWord[TextFolding.fold(word)]) }
        if let minute = filter.minuteOfDay, (0..<postings.byMinute.count).contains(minute) {
            add(.list(postings.byMinute[minute]))
        }
        guard !lists.isEmpty else { return .range(range) }
        lists.sort { $0.count < $1.count }
        if lists.count == 1 { return lists[0] }
        return PositionList.intersect(lists, in: range)
    }
}

/// Where an update lives: its part and its place there.
public struct UpdateReference: Sendable {
    public let part: ArticlePart
    public let local: Int
    public var update: Update { part.update(at: local) }
}

extension Segment {
    func write(to writer: inout SnapshotWriter, sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        writer.count(parts.count)
        for part in parts {
            part.write(to: &writer)
            try writer.flush(to: sink)
        }
        writer.array(partOf)
        writer.array(localOf)
        writer.array(times)
        for list in positionsByPart {
            writer.array(list)
            try writer.flush(to: sink)
        }
        try postings.write(to: &writer, sink: sink)
    }

    /// A segment as `write` kept it, every position checked against its parts.
    convenience init(reading reader: inout SnapshotReader) throws(StoreError) {
        let partCount = try reader.count()
        var parts: [ArticlePart] = []
        parts.reserveCapacity(partCount)
        for _ in 0..<partCount { parts.append(try ArticlePart(reading: &reader)) }
        let partOf = try reader.array(of: Int32.self)
        let localOf = try reader.array(of: Int32.self)
        let times = try reader.array(of: Int64.self)
        guard localOf.count == partOf.count, times.count == partOf.count else {
            throw StoreSnapshot.refusal("a segment whose position arrays differ in length")
        }
        for (part, local) in zip(partOf, localOf) {
            guard part >= 0, Int(part) < partCount, local >= 0, Int(local) < parts[Int(part)].updateCount else {
                throw StoreSnapshot.refusal("a position past its segment's parts")
            }
        }
        var byPart: [[Int32]] = []
        byPart.reserveCapacity(partCount)
        for _ in 0..<partCount { byPart.append(try reader.positions(below: times.count)) }
        let postings = try IndexedPostings(reading: &reader, positions: times.count)
        self.init(parts: parts, partOf: partOf, localOf: localOf, times: times, positionsByPart: byPart, indexed: postings)
    }
}

/// A segment's postings as queries read them: long lists dense (`Posting`).
struct IndexedPostings: Sendable {
    var byActor: [String: Posting]
    var byQuoter: [String: Posting]
    var byWord: [String: Posting]
    var byMinute: [[Int32]]

    init(_ lists: Segment.Postings, universe: Int) {
        func indexed(_ lists: [String: [Int32]]) -> [String: Posting] {
            lists.mapValues { Posting($0, universe: universe) }
        }
        byActor = indexed(lists.byActor)
        byQuoter = indexed(lists.byQuoter)
        byWord = indexed(lists.byWord)
        byMinute = lists.byMinute
    }

    func write(to writer: inout SnapshotWriter, sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        for lists in [byActor, byQuoter, byWord] {
            writer.count(lists.count)
            for (key, posting) in lists {
                writer.string(key)
                switch posting {
                case .list(let positions):
                    writer.count(0)
                    writer.array(positions)
                case .dense(let set):
                    writer.count(1)
                    writer.array(set.words)
                }
                try writer.flush(to: sink)
            }
        }
        writer.count(byMinute.count)
        for positions in byMinute { writer.array(positions) }
    }

    init(reading reader: inout SnapshotReader, positions: Int) throws(StoreError) {
        func keyed(_ reader: inout SnapshotReader) throws(StoreError) -> [String: Posting] {
            let n = try reader.count()
            var lists: [String: Posting] = [:]
            lists.reserveCapacity(n)
            for _ in 0..<n {
                let key = try reader.string()
                switch try reader.number() {
                case 0:
                    lists[key] = .list(try reader.positions(below: positions))
                case 1:
                    let words = try reader.array(of: UInt64.self)
                    guard words.count == (positions + 63) / 64,
                          positions % 64 == 0 || (words.last ?? 0) >> UInt64(positions % 64) == 0 else {
                        throw StoreSnapshot.refusal("dense positions past their segment's \(positions)")
                    }
                    lists[key] = .dense(DensePositions(words: words))
                default:
                    throw StoreSnapshot.refusal("a posting of unknown form")
                }
            }
            return lists
        }
        byActor = try keyed(&reader)
        byQuoter = try keyed(&reader)
        byWord = try keyed(&reader)
        byMinute = Array(repeating: [], count: 24 * 60)
        guard try reader.count() == byMinute.count else { throw StoreSnapshot.refusal("a minute index of another size") }
        for minute in byMinute.indices { byMinute[minute] = try reader.positions(below: positions) }
    }
}
