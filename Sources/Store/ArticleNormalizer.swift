/// Raw scraped text -> normalized `Article`.
///
/// PLACEHOLDER: the store work replaces this with the real pipeline
/// (TextRepair -> ArticleSegmenter -> EmbedExtractor -> ActorExtractor / QuoteExtractor).
public enum ArticleNormalizer {
    /// Normalizes one article. Problems that leave the rest usable (an impossible time,
    /// a duplicated minute) are returned in `Article.warnings` with their line numbers;
    /// problems that leave nothing trustworthy throw.
    public static func normalize(text: String, id: String) throws(StoreError) -> Article {
        throw StoreError.noUpdates
    }
}
