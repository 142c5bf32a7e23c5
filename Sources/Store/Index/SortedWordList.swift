/// A sorted list of distinct words in one byte string, looked up by binary search: the
/// words of an article's lede and headlines, which `/articles?q=` reads. As an array of
/// strings it took about 16 bytes a word more, on every article of the corpus.
public struct SortedWordList: Sendable, Equatable {
    private let bytes: [UInt8]
    /// Where each word starts in `bytes`, and the end.
    private let starts: [UInt32]

    public var count: Int { starts.count - 1 }

    public init(_ words: [String]) {
        // Sorted by their bytes, which is what the lookup compares.
        let sorted = Set(words).map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        var bytes: [UInt8] = []
        var starts: [UInt32] = [0]
        for word in sorted {
            bytes.append(contentsOf: word)
            starts.append(UInt32(bytes.count))
        }
        self.bytes = bytes.exactCopy()
        self.starts = starts.exactCopy()
    }

    public func contains(_ word: String) -> Bool { contains(bytes: Array(word.utf8)) }

    /// The same for a word given as its UTF-8 bytes (made once for many lists). A listing
    /// filtered by words asks this of every article: compared byte by byte through pointers.
    public func contains(bytes wanted: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { all in
            starts.withUnsafeBufferPointer { starts in
                wanted.withUnsafeBufferPointer { wanted in
                    /// <0, 0, >0 as entry `index` sorts before, with or after `wanted`.
                    func compare(_ index: Int) -> Int {
                        let start = Int(starts[index])
                        let length = Int(starts[index + 1]) - start
                        for k in 0..<Swift.min(length, wanted.count) where all[start + k] != wanted[k] {
                            return Int(all[start + k]) - Int(wanted[k])
                        }
                        return length - wanted.count
                    }
                    var low = 0
                    var high = starts.count - 1
                    while low < high {
                        let mid = (low + high) / 2
                        let order = compare(mid)
                        if order == 0 { return true }
                        if order < 0 { low = mid + 1 } else { high = mid }
                    }
                    return false
                }
            }
        }
    }
}

extension SortedWordList {
    func write(to writer: inout SnapshotWriter) {
        writer.array(bytes)
        writer.array(starts)
    }

    init(reading reader: inout SnapshotReader) throws(StoreError) {
        bytes = try reader.array(of: UInt8.self)
        starts = try reader.array(of: UInt32.self)
        guard starts.first == 0, Int(starts.last ?? 1) == bytes.count,
              zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw StoreSnapshot.refusal("a word list whose offsets do not fit its bytes")
        }
    }
}
