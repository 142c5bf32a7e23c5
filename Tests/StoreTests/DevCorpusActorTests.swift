import Foundation
import XCTest
@testable import Store

/// Actor F1 and quote recall of the Store on corpora with expected results, measured as
/// score-corpus measures them (issue 3's thresholds: F1 ≥ 0.9, quote recall ≥ 0.9).
///
/// Two measures per corpus: the whole pipeline from the raw text, and the extractor alone
/// on updates built from the expected headline, body and embeds, so that a segmentation
/// fault and an extraction fault are told apart.
final class DevCorpusActorTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let minimumF1 = 0.9
    static let minimumQuoteRecall = 0.9

    func testDevCorpusFromRawTextMeetsTheThresholds() throws {
        let corpus = try Self.corpus(articles: Self.shared.appendingPathComponent("corpus/dev"),
                                     expected: Self.shared.appendingPathComponent("corpus/dev.expected"))
        try check(corpus, label: "dev, raw text") { text, id, _ in try ArticleNormalizer.normalize(text: text, id: id) }
    }

    func testDevCorpusExtractorAloneMeetsTheThresholds() throws {
        let corpus = try Self.corpus(articles: Self.shared.appendingPathComponent("corpus/dev"),
                                     expected: Self.shared.appendingPathComponent("corpus/dev.expected"))
        try check(corpus, label: "dev, extractor alone") { _, id, expected in Self.annotated(expected, id: id) }
    }

    func testSampleCorpusFromRawTextMeetsTheThresholds() throws {
        let corpus = try Self.corpus(articles: Self.packageRoot.appendingPathComponent("Sources/Server/Resources/sample"),
                                     expected: Self.packageRoot.appendingPathComponent("Tests/Fixtures/sample.expected"))
        try check(corpus, label: "sample, raw text") { text, id, _ in try ArticleNormalizer.normalize(text: text, id: id) }
    }

    /// Real captures of other outlets (`REAL.md`): the extractor alone, so that actors and
    /// quotes are judged on the expected updates whatever the segmenter makes of the page.
    func testRealCorpusExtractorAloneMeetsTheThresholds() throws {
        let corpus = try Self.corpus(articles: Self.shared.appendingPathComponent("corpus/real"),
                                     expected: Self.shared.appendingPathComponent("corpus/real.expected"))
        try check(corpus, label: "real, extractor alone") { _, id, expected in Self.annotated(expected, id: id) }
    }

    // MARK: - Helpers

    struct Entry {
        var id: String
        var text: String
        var expected: ExtractionScorer.ExpectedArticle
    }

    /// Every `NAME.txt` of `articles` that has a `NAME.expected.json` in `expected`.
    static func corpus(articles: URL, expected: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [Entry] {
        let files = FileManager.default
        guard files.fileExists(atPath: articles.path), files.fileExists(atPath: expected.path) else {
            XCTFail("this test needs \(articles.path) and \(expected.path) (the shared corpus beside the project)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let names = try files.contentsOfDirectory(atPath: expected.path).filter { $0.hasSuffix(".expected.json") }.sorted()
        XCTAssertFalse(names.isEmpty, "no expected results in \(expected.path)", file: file, line: line)
        return try names.map { name in
            let id = String(name.dropLast(".expected.json".count))
            let text = try String(contentsOf: articles.appendingPathComponent(id + ".txt"), encoding: .utf8)
            return Entry(id: id, text: text, expected: try ExtractionScorer.loadExpected(expected.appendingPathComponent(name)))
        }
    }

    /// The expected updates without their actors and quotes, annotated by the extractor.
    static func annotated(_ expected: ExtractionScorer.ExpectedArticle, id: String) -> Article {
        let updates = expected.updates.enumerated().map { index, update in
            Update(id: "\(id)/\(index)", time: Instant(rfc3339: update.time) ?? Instant(secondsSinceEpoch: 0), article: id,
                   headline: update.headline, body: update.body, embeds: update.embeds ?? [])
        }
        let article = Article(id: id, date: expected.date ?? "", lede: expected.lede ?? [], updates: updates, actors: [])
        return ActorExtractor().annotate(article)
    }

    private func check(_ corpus: [Entry], label: String,
                       build: (String, String, ExtractionScorer.ExpectedArticle) throws -> Article,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let articles = try corpus.map { try build($0.text, $0.id, $0.expected) }
        let scorer = ExtractionScorer(store: Store(articles: articles))
        var total = ExtractionScorer.Tally()
        for (entry, article) in zip(corpus, articles) {
            let tally = scorer.score(entry.expected, article: article)
            print("\(label) \(entry.id): \(tally.summary)")
            total += tally
        }
        for problem in total.problems { print("  \(problem)") }
        print("\(label) TOTAL: \(total.summary)")
        XCTAssertGreaterThanOrEqual(total.f1, Self.minimumF1, "\(label): \(total.summary)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(total.quoteRecall, Self.minimumQuoteRecall, "\(label): \(total.summary)", file: file, line: line)
    }
}
