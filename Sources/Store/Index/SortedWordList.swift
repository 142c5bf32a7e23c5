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

    public func contains(_ word: String) -> Bool {
        let wanted = Array(word.utf8)
        return bytes.withUnsafeBufferPointer { all in
            var low = 0
            var high = count
            while low < high {
                let mid = (low + high) / 2
                let entry = UnsafeBufferPointer(rebasing: all[Int(starts[mid])..<Int(starts[mid + 1])])
                if entry.lexicographicallyPrecedes(wanted) { low = mid + 1 } else { high = mid }
            }
            guard low < count else { return false }
            return UnsafeBufferPointer(rebasing: all[Int(starts[low])..<Int(starts[low + 1])]).elementsEqual(wanted)
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
