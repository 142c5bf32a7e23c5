import Store

extension StoreChange {
    /// What changed from one whole snapshot to the next, by update id and value: for a
    /// reload that rebuilds the store from scratch (SIGHUP) rather than from parts.
    static func between(_ old: Store, _ new: Store, generation: UInt64) -> StoreChange {
        let upserted = new.updates.filter { old.update(id: $0.id) != $0 }
        let removed = old.updates.lazy.map(\.id).filter { new.update(id: $0) == nil }
        return StoreChange(generation: generation, upserted: upserted, removed: Array(removed))
    }
}
