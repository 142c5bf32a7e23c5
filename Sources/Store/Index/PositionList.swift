/// A sorted list of positions in a segment, kept as cheap a form as the query allows: a
/// range (no condition but time), a slice of one posting list (one condition), an array
/// (the intersection of several), or dense positions between two ranks (a long posting list,
/// or the intersection of long ones). Random access, so a cursor is found by binary search.
enum PositionList: RandomAccessCollection {
    case range(Range<Int32>)
    case slice(ArraySlice<Int32>)
    case array([Int32])
    case dense(DensePositions, ranks: Range<Int>)

    static let empty = PositionList.array([])

    var startIndex: Int { 0 }
    var endIndex: Int {
        switch self {
        case .range(let range): return range.count
        case .slice(let slice): return slice.count
        case .array(let array): return array.count
        case .dense(_, let ranks): return ranks.count
        }
    }

    subscript(index: Int) -> Int32 {
        switch self {
        case .range(let range): return range.lowerBound + Int32(index)
        case .slice(let slice): return slice[slice.startIndex + index]
        case .array(let array): return array[index]
        case .dense(let set, let ranks): return set.select(ranks.lowerBound + index)
        }
    }

    func contains(position: Int32) -> Bool {
        if case .dense(let set, let ranks) = self { return set.contains(position) && ranks.contains(set.rank(position)) }
        let index = partitionPoint { $0 >= position }
        return index < count && self[index] == position
    }

    /// The part of a sorted list inside `range`: two binary searches.
    static func clip(_ list: ArraySlice<Int32>, to range: Range<Int32>) -> ArraySlice<Int32> {
        let low = list.partitionPoint { $0 >= range.lowerBound }
        let high = list.partitionPoint { $0 >= range.upperBound }
        return list[low..<high]
    }

    /// Lists within this factor of each other's length are intersected by a linear merge;
    /// further apart, by galloping through the longer one.
    static let mergeRatio = 16

    /// The positions in every list (each already inside the query's range), shortest first.
    /// Dense ones alone intersect a machine word at a time. Otherwise the shortest is walked
    /// and each of its positions looked up in the others: in a dense one by its bit, in a
    /// list by galloping forward, so the cost follows the shortest list, not the longest;
    /// two lists of about the same length are merged instead, which costs a comparison per
    /// position, not a search.
    static func intersect(_ lists: [PositionList], in range: Range<Int32>) -> PositionList {
        let sets = lists.compactMap { list -> DensePositions? in
            if case .dense(let set, _) = list { return set }
            return nil
        }
        if sets.count == lists.count, !sets.isEmpty {
            let both = DensePositions.intersection(sets, in: range)
            return .dense(both, ranks: 0..<both.count)
        }
        guard let shortest = lists.first else { return .empty }
        if lists.count == 2, case .slice(let a) = shortest, case .slice(let b) = lists[1], b.count <= a.count * mergeRatio {
            return .array(merged(a, b))
        }
        var cursors = lists.dropFirst().map(\.startIndex)
        var out: [Int32] = []
        candidates: for position in shortest {
            for (k, list) in lists.dropFirst().enumerated() {
                if case .dense(let set, _) = list {
                    if !set.contains(position) { continue candidates }
                    continue
                }
                var low = cursors[k]
                var step = 1
                var high = low
                while high < list.endIndex && list[high] < position {
                    low = high + 1
                    high = low + step
                    step *= 2
                }
                high = Swift.min(high, list.endIndex)
                while low < high {
                    let mid = (low + high) / 2
                    if list[mid] < position { low = mid + 1 } else { high = mid }
                }
                cursors[k] = low
                if low == list.endIndex { break candidates }
                if list[low] != position { continue candidates }
            }
            out.append(position)
        }
        return .array(out)
    }

    /// The positions in both ascending lists, by one walk of each.
    static func merged(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(Swift.min(a.count, b.count))
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                var i = 0
                var j = 0
                while i < x.count && j < y.count {
                    let (p, q) = (x[i], y[j])
                    if p == q { out.append(p) }
                    i += p <= q ? 1 : 0
                    j += q <= p ? 1 : 0
                }
            }
        }
        return out
    }
}

