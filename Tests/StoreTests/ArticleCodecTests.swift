import Foundation
import XCTest
@testable import Store

final class ArticleCodecTests: XCTestCase {
    static let sampleFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Server/Resources/sample")

    /// The sample corpus, normalized as the loader does it.
    static func sampleArticles() throws -> [Article] {
        let names = try FileManager.default.contentsOfDirectory(atPath: sampleFolder.path).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertFalse(names.isEmpty, "no sample articles in \(sampleFolder.path)")
        return try names.map { name in
            let text = try String(contentsOf: sampleFolder.appendingPathComponent(name), encoding: .utf8)
            return try ArticleNormalizer.normalize(text: text, id: (name as NSString).deletingPathExtension)
        }
    }

    /// Every shape the sample may lack: empty lists, an affiliation, both embed kinds, a time
    /// before 1970, text outside ASCII, an empty string, large numbers.
    static let unusual = Article(
        id: "édition_spéciale", date: "1969-07", lede: [], updates: [
            Update(id: "édition_spéciale/1969-07-20T20:17:40Z", time: Instant(secondsSinceEpoch: -14_182_940),
                   article: "édition_spéciale", headline: "", body: ["«Ça y est» 🚀", ""],
                   actors: ["nasa", "neil-armstrong"],
                   quotes: [Quote(actor: "neil-armstrong", text: "That's one small step")],
                   embeds: [.tweet(Tweet(author: "NASA (official)", handle: "@NASA", date: "1969-07-20",
                                         text: "Houston https://t.co/x", links: ["https://t.co/x"])),
                            .video(Video(title: "Landing (2:31:00)", duration: 9_060)),
                            .video(Video(title: "", duration: Int.max))]),
            Update(id: "édition_spéciale/1969-07-20T20:17:40Z-2", time: Instant(secondsSinceEpoch: Int64.min + 1),
                   article: "édition_spéciale", headline: "Second", body: []),
        ],
        actors: [
            ActorRecord(id: "neil-armstrong", name: "Neil Armstrong", kind: .person, aliases: ["Armstrong"],
                        roles: ["Commander"], affiliation: "nasa", mentions: 3),
            ActorRecord(id: "nasa", name: "NASA", kind: .organization, mentions: Int.min),
        ],
        warnings: ["line 3: a warning kept with the article"])

    func testEverySampleArticleRoundTrips() throws {
        let articles = try Self.sampleArticles()
        for article in articles {
            XCTAssertEqual(try ArticleCodec.decode(ArticleCodec.encode(article)), article, article.id)
        }
        // The sample has to exercise the embeds and affiliations, or this test proves less.
        let embeds = articles.flatMap(\.updates).flatMap(\.embeds)
        XCTAssertTrue(embeds.contains { if case .tweet = $0 { true } else { false } }, "the sample has no tweet")
        XCTAssertTrue(embeds.contains { if case .video = $0 { true } else { false } }, "the sample has no video")
    }

    func testUnusualShapesRoundTrip() throws {
        XCTAssertEqual(try ArticleCodec.decode(ArticleCodec.encode(Self.unusual)), Self.unusual)
        var other = Self.unusual
        other.format = "liveblog-article/0"
        XCTAssertEqual(try ArticleCodec.decode(ArticleCodec.encode(other)).format, "liveblog-article/0",
                       "the format tag is kept as it was, so that the loader can refuse an old one")
    }

    func testEntriesAreCompactAndStoreRepeatedTextOnce() throws {
        let article = try XCTUnwrap(Self.sampleArticles().first)
        XCTAssertLessThan(ArticleCodec.encode(article).count, try JSONEncoder().encode(article).count,
                          "an entry should be smaller than its JSON")
        let headline = String(repeating: "a long headline repeated in every update ", count: 25)
        let updates = (0..<200).map { i in
            Update(id: "x/\(i)", time: Instant(secondsSinceEpoch: Int64(i) * 60), article: "x", headline: headline, body: [headline])
        }
        let entry = ArticleCodec.encode(Article(id: "x", date: "2020-01-01", lede: [], updates: updates, actors: []))
        XCTAssertLessThan(entry.count, 2 * headline.utf8.count + 200 * 32,
                          "a string repeated 400 times should be stored once, not \(entry.count / headline.utf8.count) times")
    }

    func testEveryTruncationIsRefused() throws {
        let entry = ArticleCodec.encode(Self.unusual)
        for length in 0..<entry.count {
            XCTAssertThrowsError(try ArticleCodec.decode(Array(entry.prefix(length))), "\(length) of \(entry.count) bytes") {
                guard case StoreError.invalidCacheEntry = $0 else { return XCTFail("\($0)") }
            }
        }
        XCTAssertThrowsError(try ArticleCodec.decode(entry + [0]), "a byte too many")
    }

    func testEveryFlippedBitIsRefused() throws {
        let entry = ArticleCodec.encode(Self.unusual)
        for index in entry.indices {
            for bit in 0..<8 {
                var damaged = entry
                damaged[index] ^= 1 << bit
                XCTAssertThrowsError(try ArticleCodec.decode(damaged), "bit \(bit) of byte \(index)")
            }
        }
    }

    func testRefusalsSayWhy() {
        let entry = ArticleCodec.encode(Self.unusual)
        func reason(_ bytes: [UInt8]) -> String {
            do { _ = try ArticleCodec.decode(bytes); return "decoded" } catch { return error.description }
        }
        XCTAssertEqual(reason([]), "not an intact cache entry: 0 bytes, shorter than the 24-byte header")
        XCTAssertEqual(reason(Array("{\"format\":\"liveblog-article/1\"}".utf8)), "not an intact cache entry: no LBAR magic at the start")
        var otherFormat = entry
        otherFormat[4] = 99
        XCTAssertEqual(reason(otherFormat), "not an intact cache entry: format 99, expected \(ArticleCodec.formatVersion)")
        XCTAssertTrue(reason(Array(entry.dropLast(5))).contains("truncated"), reason(Array(entry.dropLast(5))))
        var damaged = entry
        damaged[entry.count - 1] ^= 0x10
        XCTAssertEqual(reason(damaged), "not an intact cache entry: checksum mismatch (damaged bytes)")
    }

    /// Bytes that pass the checksum but are not an article (as damage the checksum misses,
    /// or a bug in a future writer, would be): the reader refuses them instead of crashing.
    func testResealedGarbageIsRefusedWithoutCrashing() throws {
        let entry = ArticleCodec.encode(Self.unusual)
        let payload = Array(entry[ArticleCodec.headerSize...])
        var generator = SplitMix(seed: 8)
        var refused = 0
        for round in 0..<2_000 {
            var damaged = payload
            switch round % 3 {
            case 0: damaged[Int(generator.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: generator.next())
            case 1: damaged = Array(damaged.prefix(Int(generator.next() % UInt64(damaged.count))))
            default: for i in damaged.indices where generator.next() % 16 == 0 { damaged[i] = 0xFF }
            }
            guard damaged != payload else { continue }
            do {
                let decoded = try ArticleCodec.decode(Self.sealed(damaged))
                XCTAssertNotEqual(decoded, Self.unusual, "round \(round): other bytes gave the same article")
            } catch {
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 1_000, "most damaged payloads should be refused by the structure checks")
    }

    /// `payload` behind a header that vouches for it.
    static func sealed(_ payload: [UInt8]) -> [UInt8] {
        var entry = ArticleCodec.magic
        func fixed<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { entry.append(contentsOf: $0) } }
        fixed(ArticleCodec.formatVersion)
        fixed(UInt64(payload.count))
        fixed(payload.withUnsafeBytes(ArticleCodec.checksum))
        return entry + payload
    }
}

/// A small deterministic generator, so that a failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ArticleCodecTests {
    func testFoldedWordsTravelWithTheArticleOrNotAtAll() throws {
        let words = FoldedWords(article: Self.unusual)
        let entry = try ArticleCodec.decodeEntry(ArticleCodec.encode(Self.unusual, words: words))
        XCTAssertEqual(entry.article, Self.unusual)
        XCTAssertEqual(entry.words, words)
        XCTAssertNil(try ArticleCodec.decodeEntry(ArticleCodec.encode(Self.unusual)).words)
        let short = FoldedWords(overview: words.overview, updates: words.updates + [["extra"]])
        XCTAssertThrowsError(try ArticleCodec.decodeEntry(ArticleCodec.encode(Self.unusual, words: short)),
                             "words for another number of updates are refused")
    }
}
