/// The positions of a long posting list as one bit per position of its segment, with a
/// running count per 64 positions: a word or an actor found in a sixteenth of the updates
/// or more takes less room this way than as a list, is tested for a position in O(1), and
/// two of them intersect a machine word at a time, which is what a `q` and `actor` query
/// over common terms spends its time on.
struct DensePositions: Sendable, Equatable {
    /// One bit per position of the segment, 64 to a word.
    let words: [UInt64]
    /// `ranks[k]`: set positions before word `k`; the last entry is the count.
    private let ranks: [Int32]

    /// A list at least this share of its segment's positions is kept dense (1/16: then the
    /// 3 bits per position of the bits and counts cost less than 32 bits per entry).
    static let densityDivisor = 16

    static func isDense(count: Int, universe: Int) -> Bool { count * densityDivisor >= universe && universe > 0 }

    var count: Int { Int(ranks[ranks.count - 1]) }

    /// `positions` ascending, each below `universe`.
    init(_ positions: [Int32], universe: Int) {
        var words = [UInt64](repeating: 0, count: (universe + 63) / 64)
        for position in positions { words[Int(position) >> 6] |= 1 << UInt64(position & 63) }
        self.init(words: words)
    }

    init(words: [UInt64]) {
        var ranks: [Int32] = []
        ranks.reserveCapacity(words.count + 1)
        var total: Int32 = 0
        for word in words {
            ranks.append(total)
            total += Int32(word.nonzeroBitCount)
        }
        ranks.append(total)
        self.words = words
        self.ranks = ranks
    }

    func contains(_ position: Int32) -> Bool {
        let k = Int(position) >> 6
        return k < words.count && position >= 0 && words[k] >> UInt64(position & 63) & 1 == 1
    }

    /// How many set positions are below `position`.
    func rank(_ position: Int32) -> Int {
        let p = Swift.max(0, Swift.min(Int(position), words.count * 64))
        let k = p >> 6
        guard k < words.count else { return count }
        let below = p & 63 == 0 ? 0 : words[k] & ((1 << UInt64(p & 63)) - 1)
        return Int(ranks[k]) + below.nonzeroBitCount
    }

    /// The `index`-th set position (0 is the first).
    func select(_ index: Int) -> Int32 {
        // The last word whose running count is at most `index`.
        var low = 0
        var high = words.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(ranks[mid]) <= index { low = mid } else { high = mid - 1 }
        }
        var word = words[low]
        for _ in 0..<(index - Int(ranks[low])) { word &= word - 1 }
        return Int32(low * 64 + word.trailingZeroBitCount)
    }

    /// Every set position, ascending.
    var positions: [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(count)
        for (k, var word) in words.enumerated() {
            while word != 0 {
                out.append(Int32(k * 64 + word.trailingZeroBitCount))
                word &= word - 1
            }
        }
        return out
    }

    /// The positions in every one of `sets` and inside `range`.
    static func intersection(_ sets: [DensePositions], in range: Range<Int32>) -> DensePositions {
        let count = sets.map(\.words.count).min() ?? 0
        var words = [UInt64](repeating: 0, count: count)
        let first = Int(range.lowerBound) >> 6
        let last = Swift.min(count, (Int(range.upperBound) + 63) >> 6)
        if first < last {
            for k in first..<last {
                var word = ~UInt64(0)
                for set in sets { word &= set.words[k] }
                words[k] = word
            }
            // Bits of the edge words outside the range.
            words[first] &= ~UInt64(0) << UInt64(range.lowerBound & 63)
            let end = Int(range.upperBound) - (last - 1) * 64
            if end < 64 { words[last - 1] &= (1 << UInt64(end)) - 1 }
        }
        return DensePositions(words: words)
    }
}

/// One key's positions in a segment: a list, or dense when long (`DensePositions`).
enum Posting: Sendable {
    case list([Int32])
    case dense(DensePositions)

    init(_ positions: [Int32], universe: Int) {
        self = DensePositions.isDense(count: positions.count, universe: universe)
            ? .dense(DensePositions(positions, universe: universe)) : .list(positions)
    }

    var positions: [Int32] {
        switch self {
        case .list(let list): return list
        case .dense(let set): return set.positions
        }
    }

    /// The positions inside `range`, without copying them.
    func clipped(to range: Range<Int32>) -> PositionList {
        switch self {
        case .list(let list): return .slice(PositionList.clip(ArraySlice(list), to: range))
        case .dense(let set): return .dense(set, ranks: set.rank(range.lowerBound)..<set.rank(range.upperBound))
        }
    }
}
