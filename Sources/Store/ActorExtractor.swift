/// Finds the actors and quotes of an article's updates.
/// PLACEHOLDER: the extraction work replaces this.
public struct ActorExtractor: Sendable {
    public init() {}

    /// Returns the article with each update's `actors` and `quotes` filled and the
    /// article's `actors` table built. Headline, body and embeds are already clean.
    public func annotate(_ article: Article) -> Article {
        article
    }
}
