import Foundation
import Store
import XCTest
@testable import Server

final class NormalizationCacheTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "liveblog-cache-test-\(getpid())-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let article = Article(
        id: "brief", date: "2024-05-01", lede: ["A lede."],
        updates: [Update(id: "brief/2024-05-01T09:00:00Z", time: Instant(secondsSinceEpoch: 1_714_554_000),
                         article: "brief", headline: "Talks open", body: ["Delegates met."], actors: ["nato"],
                         quotes: [Quote(actor: "nato", text: "We are ready")],
                         embeds: [.video(Video(title: "Opening (1:05)", duration: 65))])],
        actors: [ActorRecord(id: "nato", name: "NATO", kind: .organization, aliases: ["the alliance"], mentions: 2)],
        warnings: ["line 2: something skipped"])
    static let key = ContentKey.of(id: "brief", content: Array(" date 2024-05-01\n09:00 GMT – Talks open\n".utf8))

    static func version(_ knowledge: String) -> NormalizerVersion {
        NormalizerVersion(knowledgeFiles: [(name: "zones.json", bytes: Array(knowledge.utf8))], codeIdentity: [1, 2, 3])
    }

    /// Collects warnings from any thread.
    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        func add(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
    }

    func makeCache(_ version: NormalizerVersion = version("a"), warnings: Warnings = Warnings(),
                   directory: String? = nil) -> NormalizationCache {
        NormalizationCache(directory: directory ?? self.directory, version: version, warn: { warnings.add($0) })
    }

    func testASavedArticleIsFoundAgainByANewCache() {
        let warnings = Warnings()
        XCTAssertNil(makeCache(warnings: warnings).article(for: Self.key), "an empty cache has nothing")
        makeCache(warnings: warnings).save(Self.article, for: Self.key)
        XCTAssertEqual(makeCache(warnings: warnings).article(for: Self.key)?.article, Self.article,
                       "a restart (a new cache on the same folder) finds the article")
        let words = FoldedWords(article: Self.article)
        makeCache(warnings: warnings).save(Self.article, words: words, for: Self.key)
        XCTAssertEqual(makeCache(warnings: warnings).article(for: Self.key)?.words, words,
                       "the folded words are kept with the article, so a warm start folds nothing")
        XCTAssertEqual(warnings.all, [])
    }

    func testOtherContentOrOtherIdMisses() {
        let cache = makeCache()
        cache.save(Self.article, for: Self.key)
        XCTAssertNil(cache.article(for: ContentKey.of(id: "brief", content: Array(" date 2024-05-02\n".utf8))))
        XCTAssertNil(cache.article(for: ContentKey.of(id: "renamed", content: Array(" date 2024-05-01\n09:00 GMT – Talks open\n".utf8))))
    }

    func testAnotherVersionMisses() {
        makeCache(Self.version("a")).save(Self.article, for: Self.key)
        let other = makeCache(Self.version("b"))
        XCTAssertNil(other.article(for: Self.key), "an entry of other knowledge must not be served")
        XCTAssertNotEqual(other.folder, makeCache(Self.version("a")).folder)
        XCTAssertEqual(makeCache(Self.version("a")).article(for: Self.key)?.article, Self.article)
    }

    func testACorruptOrTruncatedEntryIsIgnoredAndReplacedOnSave() throws {
        let cache = makeCache()
        cache.save(Self.article, for: Self.key)
        let path = cache.path(for: Self.key)
        let good = try XCTUnwrap(FileManager.default.contents(atPath: path))

        var flipped = [UInt8](good)
        flipped[flipped.count / 2] ^= 0x04
        try Data(flipped).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(cache.article(for: Self.key), "a damaged entry is not served")

        try good.prefix(good.count - 7).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(cache.article(for: Self.key), "a truncated entry is not served")

        try Data("{\"format\":\"liveblog-article/1\"}".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(cache.article(for: Self.key), "a file of another kind is not served")

        cache.save(Self.article, for: Self.key)
        XCTAssertEqual(cache.article(for: Self.key)?.article, Self.article, "the next save replaces it")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cache.folder)
        XCTAssertEqual(leftovers, [(path as NSString).lastPathComponent], "no temporary file stays behind")
    }

    func testAnUnusableFolderWarnsOnceAndNeverThrows() throws {
        // A regular file where a folder should be: refused even to root, unlike permissions.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let blocker = directory + "/not-a-folder"
        XCTAssertTrue(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        let warnings = Warnings()
        let cache = makeCache(warnings: warnings, directory: blocker + "/cache")
        for _ in 0..<3 {
            cache.save(Self.article, for: Self.key)
            XCTAssertNil(cache.article(for: Self.key))
        }
        XCTAssertEqual(warnings.all.count, 1, "\(warnings.all)")
        let warning = try XCTUnwrap(warnings.all.first)
        XCTAssertTrue(warning.contains(blocker + "/cache"), "the warning names the folder: \(warning)")
        XCTAssertTrue(warning.contains("serving without it"), warning)
    }

    func testAFolderRemovedWhileServingIsMadeAgain() throws {
        let warnings = Warnings()
        let cache = makeCache(warnings: warnings)
        try FileManager.default.removeItem(atPath: directory)
        cache.save(Self.article, for: Self.key)
        XCTAssertEqual(cache.article(for: Self.key)?.article, Self.article)
        XCTAssertEqual(warnings.all, [])
    }

    func testManyThreadsAtOnce() {
        let cache = makeCache()
        let keys = (0..<64).map { ContentKey.of(id: "a\($0)", content: [UInt8]("\($0)".utf8)) }
        DispatchQueue.concurrentPerform(iterations: 256) { i in
            let key = keys[i % keys.count]
            cache.save(Self.article, for: key)
            XCTAssertEqual(cache.article(for: key)?.article, Self.article)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.folder).count, keys.count)
    }

    func testPruningRemovesOnlyStaleVersionFoldersAndCrashedSaves() throws {
        let cache = makeCache()
        let files = FileManager.default
        let now = Date()
        let longAgo = now.addingTimeInterval(-NormalizationCache.staleVersionAge - 60)
        func make(_ path: String, modified: Date, folder: Bool = true) throws {
            if folder { try files.createDirectory(atPath: path, withIntermediateDirectories: true) } else {
                XCTAssertTrue(files.createFile(atPath: path, contents: Data()))
            }
            try files.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        }
        let stale = directory + "/" + NormalizerVersion.folderPrefix + "0123"
        let recent = directory + "/" + NormalizerVersion.folderPrefix + "4567"
        let foreign = directory + "/notes"
        let crashed = cache.folder + "/" + NormalizationCache.temporaryPrefix + "abc"
        let saving = cache.folder + "/" + NormalizationCache.temporaryPrefix + "def"
        try make(stale, modified: longAgo)
        try make(recent, modified: now.addingTimeInterval(-3_600))
        try make(foreign, modified: longAgo)
        try make(crashed, modified: longAgo, folder: false)
        try make(saving, modified: now, folder: false)
        cache.save(Self.article, for: Self.key)
        try files.setAttributes([.modificationDate: longAgo], ofItemAtPath: cache.folder)

        cache.pruneStaleFolders(now: now)
        XCTAssertFalse(files.fileExists(atPath: stale), "a version unused for a week goes")
        XCTAssertTrue(files.fileExists(atPath: recent), "another version still in use stays")
        XCTAssertTrue(files.fileExists(atPath: foreign), "what is not a version folder stays")
        XCTAssertFalse(files.fileExists(atPath: crashed), "a crashed save's file goes")
        XCTAssertTrue(files.fileExists(atPath: saving), "a save in progress stays")
        XCTAssertEqual(cache.article(for: Self.key)?.article, Self.article, "this version's folder stays, however old")
    }
}

final class NormalizerVersionTests: XCTestCase {
    let zones = (name: "zones.json", bytes: Array("{\"zones\":{\"GMT\":0}}".utf8))
    let titles = (name: "titles.json", bytes: Array("{\"words\":[\"president\"]}".utf8))

    func testTheSameInputsGiveTheSameVersionInAnyOrder() {
        XCTAssertEqual(NormalizerVersion(knowledgeFiles: [zones, titles], codeIdentity: [7]),
                       NormalizerVersion(knowledgeFiles: [titles, zones], codeIdentity: [7]))
    }

    func testAChangeOfKnowledgeOrCodeGivesAnotherVersion() {
        let base = NormalizerVersion(knowledgeFiles: [zones, titles], codeIdentity: [7])
        var edited = zones
        edited.bytes[edited.bytes.count - 3] = UInt8(ascii: "1")
        XCTAssertNotEqual(base, NormalizerVersion(knowledgeFiles: [edited, titles], codeIdentity: [7]), "an edited data file")
        XCTAssertNotEqual(base, NormalizerVersion(knowledgeFiles: [zones], codeIdentity: [7]), "a removed data file")
        XCTAssertNotEqual(base, NormalizerVersion(knowledgeFiles: [(name: "zones2.json", bytes: zones.bytes), titles],
                                                  codeIdentity: [7]), "a renamed data file")
        XCTAssertNotEqual(base, NormalizerVersion(knowledgeFiles: [zones, titles], codeIdentity: [8]), "other code")
        XCTAssertNotEqual(base, NormalizerVersion(knowledgeFiles: [zones, titles], codeIdentity: [7], articleFormat: "liveblog-article/2"),
                          "another article format")
        XCTAssertNotEqual(base, NormalizerVersion(knowledgeFiles: [zones, titles], codeIdentity: [7], entryFormat: ArticleCodec.formatVersion + 1),
                          "another entry format")
    }

    func testTheCurrentVersionIsDerivedFromTheShippedDataAndTheBuildID() throws {
        let files = KnowledgeFiles.contents()
        XCTAssertEqual(files.map(\.name), files.map(\.name).sorted())
        XCTAssertTrue(files.contains { $0.name == "zones.json" && !$0.bytes.isEmpty }, "\(files.map(\.name))")
        let identity = CodeIdentity.ofRunningExecutable()
        XCTAssertTrue(identity.starts(with: Array("build-id:".utf8)),
                      "the linker wrote no GNU build id: the version falls back to hashing the whole executable")
        XCTAssertGreaterThanOrEqual(identity.count - "build-id:".utf8.count, 16)
        XCTAssertEqual(NormalizerVersion.current, NormalizerVersion(knowledgeFiles: files, codeIdentity: identity))
        XCTAssertEqual(NormalizerVersion.current.folderName.count, NormalizerVersion.folderPrefix.count + 32)
    }
}

final class ContentKeyTests: XCTestCase {
    func testTheKeyIsTheSHA256OfIdZeroAndContent() {
        // printf 'note-1\0abc' | sha256sum
        XCTAssertEqual(ContentKey.of(id: "note-1", content: Array("abc".utf8)).description,
                       "fab3df584a24a3881d5958c6a8fc918d57d26104ad597881f24b9e3ca5f23044")
        // printf 'x\0' | sha256sum: an empty file
        XCTAssertEqual(ContentKey.of(id: "x", content: []).description,
                       "14f825b2bbc32dd8d196367fa8776873069c12a8954d8da7513aa7704ddd09eb")
    }

    func testTheIdAndTheContentAreKeptApart() {
        XCTAssertNotEqual(ContentKey.of(id: "ab", content: Array("c".utf8)), ContentKey.of(id: "a", content: Array("bc".utf8)))
        XCTAssertEqual(ContentKey.of(id: "a", content: Array("bc".utf8)), ContentKey.of(id: "a", content: Array("bc".utf8)))
        XCTAssertNotEqual(ContentKey.of(id: "a", content: Array("bc".utf8)), ContentKey.of(id: "a", content: Array("bd".utf8)))
    }
}
