/// The one order of updates every list and cursor uses: newest first, then article id, then
/// update id. It is a total order on what an update is, never on where it is stored, so that
/// replicas loaded alike page alike and a cursor stays right across a reload.
public struct UpdateKey: Sendable, Hashable {
    public var time: Int64
    public var article: String
    public var id: String

    public init(time: Int64, article: String, id: String) {
        self.time = time
        self.article = article
        self.id = id
    }

    public init(_ update: Update) {
        self.init(time: update.time.secondsSinceEpoch, article: update.article, id: update.id)
    }

    /// True when `self` comes before `other` in store order (newest first).
    public func precedes(_ other: UpdateKey) -> Bool {
        if time != other.time { return time > other.time }
        if article != other.article { return article < other.article }
        return id < other.id
    }
}

extension Update {
    public var key: UpdateKey { UpdateKey(self) }
}

extension RandomAccessCollection where Index == Int {
    /// The first index whose element satisfies `predicate`, which must be false for a prefix
    /// and true for the rest (a binary search).
    public func partitionPoint(where predicate: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

extension Array where Element: Equatable {
    mutating func appendUnique(contentsOf other: [Element]) {
        for element in other where !contains(element) {
            append(element)
        }
    }
}
