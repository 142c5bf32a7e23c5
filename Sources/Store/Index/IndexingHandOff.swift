import Synchronization

/// What a part's first indexing needs and the part does not keep: its update words and
/// what it says of its actors, computed where the article was made (from its values, not the
/// packed form), handed to the snapshot that first takes the part in, then let go: kept,
/// the words alone would be a third of the store.
final class IndexingHandOff: Sendable {
    private struct Pending {
        var words: FoldedWords?
        /// `order[local]`: the article's index of the part's update `local`.
        var order: [Int]
        var contributions: [String: ActorContribution]?
    }

    private let pending: Mutex<Pending?>

    /// `words`: a cache's, when the article came from one; else the index folds them itself,
    /// update by update, rather than hold every article's words at once through a first load.
    init(words: FoldedWords?, order: [Int], contributions: [String: ActorContribution]) {
        pending = Mutex(Pending(words: words, order: order, contributions: contributions))
    }

    /// Nothing pending: a part indexed before (read from a snapshot).
    init() { pending = Mutex(nil) }

    /// Calls `body` with the bytes of each word of update `local`; false when no words are pending.
    func forEachWord(at local: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        pending.withLock { pending in
            guard let pending, let words = pending.words else { return false }
            words.forEachWord(ofUpdate: pending.order[local], body)
            return true
        }
    }

    /// `list` without repeats, in order. An update names a handful of actors: below a few
    /// dozen, comparing with those kept is cheaper than hashing every one.
    static func distinct(_ list: [String]) -> [String] {
        guard list.count > 1 else { return list }
        guard list.count > 32 else {
            var kept: [String] = []
            kept.reserveCapacity(list.count)
            for item in list where !kept.contains(item) { kept.append(item) }
            return kept
        }
        var seen: Set<String> = []
        return list.filter { seen.insert($0).inserted }
    }

    /// The contributions, once: later (a removal) they are computed from the part again.
    func takeContributions() -> [String: ActorContribution]? {
        pending.withLock { pending in
            let taken = pending?.contributions
            pending = pending?.words == nil ? nil : Pending(words: pending?.words, order: pending?.order ?? [], contributions: nil)
            return taken
        }
    }

    func releaseWords() {
        pending.withLock { pending in
            pending = pending?.contributions == nil ? nil : Pending(words: nil, order: [], contributions: pending?.contributions)
        }
    }
}
