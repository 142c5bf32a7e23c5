/// A normalized liveblog: what `liveblog normalize` prints and what the store is built from.
/// Loading this JSON back gives the same store as normalizing the raw text again.
public struct Article: Codable, Sendable, Equatable {
    /// The format tag of the JSON document, so that a future change of shape is detectable.
    public static let format = "liveblog-article/1"

    public var format: String = Article.format
    /// The file name without its extension.
    public var id: String
    /// The header's date as written by the crawler: `YYYY-MM-DD`, or `YYYY-MM` when partial.
    public var date: String
    /// The clean paragraphs before the first update: the article's summary.
    public var lede: [String]
    /// Newest first, as the liveblog runs.
    public var updates: [Update]
    /// Every actor named in this article's updates, with its mentions in this article.
    public var actors: [ActorRecord]
    /// What was skipped or repaired while reading the file, for the operator.
    public var warnings: [String]

    public init(id: String, date: String, lede: [String], updates: [Update],
                actors: [ActorRecord], warnings: [String] = []) {
        self.id = id
        self.date = date
        self.lede = lede
        self.updates = updates
        self.actors = actors
        self.warnings = warnings
    }
}

/// One timed entry of a liveblog.
public struct Update: Codable, Sendable, Equatable {
    /// `<article>/<RFC 3339 time>`, with `-2`, `-3` … for a second update at the same minute.
    public var id: String
    public var time: Instant
    public var article: String
    public var headline: String
    /// The update's own clean paragraphs, without the embeds lifted out of them.
    public var body: [String]
    /// Actor ids, in order of first appearance.
    public var actors: [String]
    public var quotes: [Quote]
    public var embeds: [Embed]

    public init(id: String, time: Instant, article: String, headline: String, body: [String],
                actors: [String] = [], quotes: [Quote] = [], embeds: [Embed] = []) {
        self.id = id
        self.time = time
        self.article = article
        self.headline = headline
        self.body = body
        self.actors = actors
        self.quotes = quotes
        self.embeds = embeds
    }
}

/// Words in double quotes of a body paragraph, said by an actor.
public struct Quote: Codable, Sendable, Equatable {
    /// The speaker's actor id.
    public var actor: String
    /// The passage without its quotation marks.
    public var text: String

    public init(actor: String, text: String) {
        self.actor = actor
        self.text = text
    }
}

/// Something embedded in an update and lifted out of its body.
public enum Embed: Codable, Sendable, Equatable {
    case tweet(Tweet)
    case video(Video)

    private enum CodingKeys: String, CodingKey { case kind }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .kind)
        switch kind {
        case "tweet": self = .tweet(try Tweet(from: decoder))
        case "video": self = .video(try Video(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: try decoder.container(keyedBy: CodingKeys.self),
                                                   debugDescription: "unknown embed kind \(kind)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .tweet(let tweet): try tweet.encode(to: encoder)
        case .video(let video): try video.encode(to: encoder)
        }
    }
}

/// An embedded tweet: its text and its signature (`– Name (@handle) February 28, 2020`).
public struct Tweet: Codable, Sendable, Equatable {
    public var kind = "tweet"
    /// The display name as written; can be an organization's and contain parentheses.
    public var author: String
    /// With its `@`.
    public var handle: String
    /// The signature's date, `YYYY-MM-DD`: the tweet's own day.
    public var date: String
    /// The clean words before the signature, links included as written.
    public var text: String
    /// Every `https://t.co/…` and `pic.twitter.com/…` link in the text, as written.
    public var links: [String]

    public init(author: String, handle: String, date: String, text: String, links: [String]) {
        self.author = author
        self.handle = handle
        self.date = date
        self.text = text
        self.links = links
    }
}

/// An embedded video, known by its caption: `Title (5:31)`.
public struct Video: Codable, Sendable, Equatable {
    public var kind = "video"
    public var title: String
    /// In seconds.
    public var duration: Int

    public init(title: String, duration: Int) {
        self.title = title
        self.duration = duration
    }
}
