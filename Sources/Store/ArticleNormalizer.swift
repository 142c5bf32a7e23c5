/// Raw scraped text -> normalized `Article`: segmentation (with text repair), embeds lifted
/// out of bodies, update ids, then actors and quotes.
public enum ArticleNormalizer {
    /// Normalizes one article. Problems that leave the rest usable (an impossible time,
    /// a duplicated minute) are returned in `Article.warnings` with their line numbers;
    /// problems that leave nothing trustworthy throw.
    public static func normalize(text: String, id: String, extractor: ActorExtractor = ActorExtractor()) throws(StoreError) -> Article {
        guard text.contains(where: { !$0.isWhitespace }) else { throw .emptyFile }
        let segmented = try ArticleSegmenter.segment(text)
        var warnings = segmented.warnings
        var seenIds: [String: Int] = [:]
        var updates: [Update] = []
        for section in segmented.sections {
            var body: [String] = []
            var embeds: [Embed] = []
            for paragraph in section.paragraphs {
                if let embed = EmbedExtractor.embed(in: paragraph) {
                    embeds.append(embed)
                } else {
                    body.append(paragraph)
                }
            }
            let base = "\(id)/\(section.time.rfc3339)"
            // One look-up: the count is raised in place.
            let count = { (seen: inout Int) -> Int in
                seen += 1
                return seen
            }(&seenIds[base, default: 0])
            if count > 1 {
                warnings.append("line \(section.line): a second update at \(section.time.rfc3339); kept with id suffix -\(count)")
            }
            updates.append(Update(id: count == 1 ? base : "\(base)-\(count)", time: section.time, article: id,
                                  headline: section.headline, body: body, embeds: embeds))
        }
        let article = Article(id: id, date: segmented.date, lede: segmented.lede, updates: updates, actors: [],
                              warnings: warnings)
        return extractor.annotate(article)
    }
}
