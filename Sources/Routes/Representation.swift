import Store

/// The JSON shapes of the contract, each item encoded once per store and then reused by
/// every page that holds it.
struct Representation {
    /// One encoded `Update` per store position.
    let updates: [[UInt8]]
    /// One encoded `Actor` (without quotes) per store position, for lists.
    let actorSummaries: [[UInt8]]

    init(store: Store) {
        updates = store.updates.map(Self.encode(update:))
        actorSummaries = store.actors.map { Self.encode(actor: $0, withQuotes: false) }
    }

    static func encode(update: Update) -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.field("id", update.id)
        json.field("time", update.time.rfc3339)
        json.field("article", update.article)
        json.field("headline", update.headline)
        json.field("body", update.body)
        json.field("actors", update.actors)
        json.key("quotes")
        json.beginArray()
        for quote in update.quotes {
            json.beginObject()
            json.field("actor", quote.actor)
            json.field("text", quote.text)
            json.endObject()
        }
        json.endArray()
        json.key("embeds")
        json.beginArray()
        for embed in update.embeds {
            json.beginObject()
            switch embed {
            case .tweet(let tweet):
                json.field("kind", "tweet")
                json.field("author", tweet.author)
                json.field("handle", tweet.handle)
                json.field("date", tweet.date)
                json.field("text", tweet.text)
                json.field("links", tweet.links)
            case .video(let video):
                json.field("kind", "video")
                json.field("title", video.title)
                json.field("duration", video.duration)
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    static func encode(actor: Actor, withQuotes: Bool) -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        json.beginObject()
        json.field("id", actor.id)
        json.field("name", actor.name)
        json.field("kind", actor.kind.rawValue)
        json.field("aliases", actor.aliases)
        json.field("roles", actor.roles)
        json.field("affiliation", optional: actor.affiliation)
        json.field("mentions", actor.mentions)
        json.field("updates", actor.updates)
        if withQuotes {
            json.key("quotes")
            json.beginArray()
            for quote in actor.quotes {
                json.beginObject()
                json.field("update", quote.update)
                json.field("text", quote.text)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        return json.bytes
    }

    /// `{"<key>": [items…], "total": n, "next": link}`.
    static func page(key: String, items: some Sequence<[UInt8]>, total: Int, next: String?) -> [UInt8] {
        var json = JSONWriter(capacity: 8192)
        json.beginObject()
        json.key(key)
        json.beginArray()
        for item in items { json.raw(item) }
        json.endArray()
        json.field("total", total)
        json.field("next", optional: next)
        json.endObject()
        return json.bytes
    }
}
