/// What one new snapshot changed, against the one before it: the event the live store
/// publishes after it installs a snapshot, and what `/stream` is fed from.
///
/// `upserted` holds every update that is new or whose content changed (whole values, newest
/// first); `removed` the ids of updates that are gone. The first load is one change marked
/// `initial` that lists nothing: the whole corpus is not news, and listing it would decode it.
public struct StoreChange: Sendable, Equatable {
    /// Counts snapshots from 1; strictly increasing.
    public var generation: UInt64
    public var upserted: [Update]
    public var removed: [String]
    /// The first load (or a replacement of the whole store): not news to subscribers.
    public var initial: Bool

    public init(generation: UInt64, upserted: [Update], removed: [String], initial: Bool = false) {
        self.generation = generation
        self.upserted = upserted
        self.removed = removed
        self.initial = initial
    }

    public var isEmpty: Bool { upserted.isEmpty && removed.isEmpty }
}
