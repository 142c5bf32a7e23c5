import XCTest
@testable import Store

/// Builds a one-update article from example sentences and runs the actor extractor on it,
/// so that a rule's test reads as the text it is about.
struct ExtractionFixture {
    let article: Article

    init(headline: String = "Latest developments", body: [String], embeds: [Embed] = [], lede: [String] = []) {
        let update = Update(id: "example/2022-05-01T12:00:00Z", time: Instant(secondsSinceEpoch: 1_651_406_400), article: "example",
                            headline: headline, body: body, embeds: embeds)
        article = ActorExtractor().annotate(Article(id: "example", date: "2022-05-01", lede: lede, updates: [update], actors: []))
    }

    var update: Update { article.updates[0] }
    var actors: [String] { update.actors }
    var quotes: [Quote] { update.quotes }

    func record(_ id: String) -> ActorRecord? {
        article.actors.first { $0.id == id }
    }

    /// The quotes as `speaker: text` lines, easy to compare and to read in a failure.
    var quoteLines: [String] { quotes.map { "\($0.actor): \($0.text)" } }

    static func tweet(_ text: String, author: String, handle: String) -> Embed {
        .tweet(Tweet(author: author, handle: handle, date: "2022-05-01", text: text, links: []))
    }
}
