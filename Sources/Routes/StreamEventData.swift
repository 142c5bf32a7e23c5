import Store

/// The `data:` of each `/stream` event, in the JSON of the contract: an update exactly as
/// `/updates` encodes it, a removal by id, and the notice that a client must reload.
public enum StreamEventData {
    /// The Update JSON, byte for byte what `/updates` holds for it.
    public static func update(_ update: Update) -> [UInt8] {
        Representation.encode(update: update)
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
