import Store

/// The JSON shapes of the contract, each item encoded once and then reused by every page
/// that holds it, and by the next snapshot's representation for what did not change.
final class Representation: Sendable {
    /// Part serial -> one encoded `Update` per update of the part, in the part's order.
    private let updatesByPart: [UInt64: [[UInt8]]]
    /// Article id -> its encoded overview, reused while the article's part is the same.
    private let overviewsByArticle: [String: (serial: UInt64, bytes: [UInt8])]
    /// Actor id -> the actor as encoded (without quotes) for lists, and the value encoded.
    private let actorSummaries: [String: EncodedActor]

    struct EncodedActor: Sendable {
        let actor: Actor
        let bytes: [UInt8]
    }

    /// Encodes what `previous` does not already hold: the new parts and the changed actors.
    init(store: Store, reusing previous: Representation? = nil) {
        var updates: [UInt64: [[UInt8]]] = [:]
        for part in store.parts.values {
            updates[part.serial] = previous?.updatesByPart[part.serial] ?? part.updates.map(Self.encode(update:))
        }
        updatesByPart = updates
        var overviews: [String: (serial: UInt64, bytes: [UInt8])] = [:]
        for part in store.parts.values {
            if let old = previous?.overviewsByArticle[part.id], old.serial == part.serial {
                overviews[part.id] = old
            } else {
                overviews[part.id] = (part.serial, ArticlesRoute.encode(overview: part.overview))
            }
        }
        overviewsByArticle = overviews
        var actors: [String: EncodedActor] = [:]
        for actor in store.actors {
            if let old = previous?.actorSummaries[actor.id], old.actor == actor {
                actors[actor.id] = old
            } else {
                actors[actor.id] = EncodedActor(actor: actor, bytes: Self.encode(actor: actor, withQuotes: false))
            }
        }
        actorSummaries = actors
    }

    func update(_ reference: UpdateReference) -> [UInt8] {
        updatesByPart[reference.part.serial]?[reference.local] ?? Self.encode(update: reference.update)
    }

    /// The update at `local` in `part` as encoded here, when this representation holds the part.
    func encodedUpdate(in part: ArticlePart, local: Int) -> [UInt8]? {
        updatesByPart[part.serial]?[local]
    }

    func overview(_ overview: ArticleOverview) -> [UInt8] {
        overviewsByArticle[overview.id]?.bytes ?? ArticlesRoute.encode(overview: overview)
    }

    func actorSummary(_ actor: Actor) -> [UInt8] {
        actorSummaries[actor.id]?.bytes ?? Self.encode(actor: actor, withQuotes: false)
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
