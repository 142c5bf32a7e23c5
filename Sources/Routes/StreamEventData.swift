import Store

/// The `data:` of each `/stream` event, in the JSON of the contract: an update exactly as
/// `/updates` encodes it, a removal by id, and the notice that a client must reload.
public enum StreamEventData {
    /// The Update JSON, byte for byte what `/updates` holds for it.
    public static func update(_ update: Update) -> [UInt8] {
        Representation.encode(update: update)
    }

    /// The Update JSON of every update in `updates` (new in `router`'s snapshot), in order:
    /// what the router encoded for `/updates` when it was made, encoded again only for an
    /// update its snapshot does not hold.
    public static func updates(_ updates: [Update], in router: Router) -> [[UInt8]] {
        // Where each update is in its article's part: one walk per article touched.
        var localsByArticle: [String: [String: Int]] = [:]
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(updates.count)
        for update in updates {
            guard let part = router.store.parts[update.article] else {
                encoded.append(Self.update(update))
                continue
            }
            if localsByArticle[update.article] == nil {
                var locals: [String: Int] = [:]
                for (local, held) in part.updates.enumerated() { locals[held.id] = local }
                localsByArticle[update.article] = locals
            }
            if let local = localsByArticle[update.article]?[update.id], part.updates[local] == update,
               let bytes = router.representation.encodedUpdate(in: part, local: local) {
                encoded.append(bytes)
            } else {
                encoded.append(Self.update(update))
            }
        }
        return encoded
    }

    /// `{"id":"…"}`: the update with this id is gone.
    public static func removed(id: String) -> [UInt8] {
        var json = JSONWriter(capacity: 128)
        json.beginObject()
        json.field("id", id)
        json.endObject()
        return json.bytes
    }

    /// `{"detail":"…","reload":"/updates"}`: the client's position is older than the events
    /// the server keeps, so what it missed cannot be replayed.
    public static func reset(detail: String) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.field("detail", detail)
        json.field("reload", "/updates")
        json.endObject()
        return json.bytes
    }
}
