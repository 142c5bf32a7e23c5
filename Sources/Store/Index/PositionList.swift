/// A sorted list of positions in a segment, kept as cheap a form as the query allows: a
/// range (no condition but time), a slice of one posting list (one condition), or an array
/// (the intersection of several). Random access, so a cursor is found by binary search.
enum PositionList: RandomAccessCollection {
    case range(Range<Int32>)
    case slice(ArraySlice<Int32>)
    case array([Int32])

    static let empty = PositionList.array([])

    var startIndex: Int { 0 }
    var endIndex: Int {
        switch self {
        case .range(let range): return range.count
        case .slice(let slice): return slice.count
        case .array(let array): return array.count
        }
    }

    subscript(index: Int) -> Int32 {
        switch self {
        case .range(let range): return range.lowerBound + Int32(index)
        case .slice(let slice): return slice[slice.startIndex + index]
        case .array(let array): return array[index]
        }
    }

    func contains(position: Int32) -> Bool {
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

    /// Walks the shortest list and looks each position up in the others by galloping
    /// forward, so the cost follows the shortest list, not the longest; two lists of about
    /// the same length are merged instead, which costs a comparison per position, not a search.
    static func intersect(_ lists: [ArraySlice<Int32>]) -> [Int32] {
        guard let shortest = lists.first else { return [] }
        if lists.count == 2, lists[1].count <= shortest.count * mergeRatio {
            return merged(shortest, lists[1])
        }
        var cursors = lists.dropFirst().map(\.startIndex)
        var out: [Int32] = []
        candidates: for position in shortest {
            for (k, list) in lists.dropFirst().enumerated() {
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
        return out
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

