import Store

/// The JSON shapes of the contract. Items are encoded when a page asks for them: a page is
/// tens of items at a few microseconds each, and holding every item encoded as well as its
/// values would double the memory of the store; the loops keep whole responses instead.
enum Representation {
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
        json.field("aliases", actor.record.aliases)
        json.field("roles", actor.record.roles)
        json.field("affiliation", optional: actor.record.affiliation)
        json.field("mentions", actor.mentions)
        json.field("updates", actor.updates)
        json.field("update_count", actor.updateCount)
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
            json.field("quote_count", actor.quoteCount)
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
