import Store

/// An article as schema.org reads a liveblog (https://schema.org/LiveBlogPosting), for
/// search engines and anything else that speaks JSON-LD: the article with its coverage
/// times, its updates as `BlogPosting`s, its actors as `mentions`, quotes as `Quotation`s,
/// tweets as `SocialMediaPosting`s and videos as `VideoObject`s.
enum LiveBlogPosting {
    static let mediaType = "application/ld+json"

    static func encode(overview: ArticleOverview, store: Store) -> [UInt8] {
        let updates = store.parts[overview.id]?.updates ?? []
        var json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.field("@context", "https://schema.org")
        json.field("@type", "LiveBlogPosting")
        json.field("@id", "/articles/" + RequestTarget.encodeQueryValue(overview.id))
        json.field("identifier", overview.id)
        json.field("headline", overview.title)
        json.field("description", overview.lede.joined(separator: "\n\n"))
        json.field("inLanguage", "en")
        if let first = overview.firstUpdate, let last = overview.lastUpdate {
            json.field("datePublished", first.rfc3339)
            json.field("dateModified", last.rfc3339)
            json.field("coverageStartTime", first.rfc3339)
            json.field("coverageEndTime", last.rfc3339)
        }
        json.key("mentions")
        mentions(overview.actors, store: store, into: &json)
        json.key("liveBlogUpdate")
        json.beginArray()
        for update in updates { encode(update: update, store: store, into: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    private static func encode(update: Update, store: Store, into json: inout JSONWriter) {
        json.beginObject()
        json.field("@type", "BlogPosting")
        json.field("@id", "/updates/" + RequestTarget.encodeQueryValue(update.time.rfc3339) + "?article="
                   + RequestTarget.encodeQueryValue(update.article))
        json.field("identifier", update.id)
        json.field("headline", update.headline)
        json.field("datePublished", update.time.rfc3339)
        json.field("articleBody", update.body.joined(separator: "\n\n"))
        json.key("mentions")
        mentions(update.actors, store: store, into: &json)
        json.key("hasPart")
        json.beginArray()
        for quote in update.quotes {
            json.beginObject()
            json.field("@type", "Quotation")
            json.field("text", quote.text)
            json.key("creator")
            thing(quote.actor, store: store, into: &json)
            json.endObject()
        }
        for embed in update.embeds {
            json.beginObject()
            switch embed {
            case .tweet(let tweet):
                json.field("@type", "SocialMediaPosting")
                json.field("text", tweet.text)
                json.field("datePublished", tweet.date)
                json.key("author")
                json.beginObject()
                json.field("@type", "Person")
                json.field("name", tweet.author)
                json.field("alternateName", tweet.handle)
                json.endObject()
            case .video(let video):
                json.field("@type", "VideoObject")
                json.field("name", video.title)
                json.field("duration", "PT\(video.duration / 60)M\(video.duration % 60)S")
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    private static func mentions(_ ids: [String], store: Store, into json: inout JSONWriter) {
        json.beginArray()
        for id in ids { thing(id, store: store, into: &json) }
        json.endArray()
    }

    /// An actor as a schema.org `Person`, `Country` or `Organization` (groups included).
    private static func thing(_ id: String, store: Store, into json: inout JSONWriter) {
        let actor = store.actor(id: id)
        json.beginObject()
        switch actor?.kind {
        case .person?: json.field("@type", "Person")
        case .country?: json.field("@type", "Country")
        default: json.field("@type", "Organization")
        }
        json.field("@id", "/actors/" + RequestTarget.encodeQueryValue(id))
        json.field("identifier", id)
        json.field("name", actor?.name ?? id)
        json.endObject()
    }
}
