import Foundation
import Glibc
import Store
import XCTest

/// The folder watched while the real server runs: what a newsroom does to it, seen over a
/// real socket.
final class LiveStoreEndToEndTests: XCTestCase {
    private var folders: [URL] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    private func folder(_ articles: [Article]) throws -> URL {
        let folder = try TestCorpus.make(articles: articles)
        folders.append(folder)
        return folder
    }

    private func write(_ article: Article, to url: URL) throws {
        try JSONEncoder().encode(article).write(to: url)
    }

    private func total(_ client: RawClient, _ target: String = "/updates") throws -> Int? {
        try client.exchange("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n").json?["total"] as? Int
    }

    /// Polls until `expected` is served, for at most 2 s, and returns what was seen last.
    private func eventually(_ client: RawClient, _ target: String = "/updates", is expected: Int) throws -> Int? {
        let deadline = Date().addingTimeInterval(2)
        var seen: Int?
        repeat {
            seen = try total(client, target)
            if seen == expected { return seen }
            usleep(20_000)
        } while Date() < deadline
        return seen
    }

    func testAddedReplacedRenamedBrokenAndRemovedFilesAreSeenWithinTwoSeconds() throws {
        let folder = try folder([TestCorpus.article(id: "first", count: 2)])
        // No periodic rescan: only the watcher can make these pass.
        let server = try LiveblogProcess(articles: folder, extraArguments: ["--rescan-seconds", "0"])
        let client = try server.connect()
        XCTAssertEqual(try total(client), 2)

        try write(TestCorpus.article(id: "second", count: 3), to: folder.appendingPathComponent("second.json"))
        XCTAssertEqual(try eventually(client, is: 5), 5, "a file added")

        try write(TestCorpus.article(id: "second", count: 4), to: folder.appendingPathComponent("second.json"))
        XCTAssertEqual(try eventually(client, is: 6), 6, "a file replaced in place")

        let staging = folder.appendingPathComponent(".second.json.tmp")
        try write(TestCorpus.article(id: "second", count: 1), to: staging)
        XCTAssertEqual(rename(staging.path, folder.appendingPathComponent("second.json").path), 0)
        XCTAssertEqual(try eventually(client, is: 3), 3, "a file replaced by a rename")

        try Data("{ not json".utf8).write(to: folder.appendingPathComponent("second.json"))
        let deadline = Date().addingTimeInterval(2)
        while !server.stderr.contains("second.json: error:") && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(server.stderr.contains("second.json: error: not a normalized article: invalid JSON"), server.stderr)
        XCTAssertTrue(server.stderr.contains("still serving its last good version"), server.stderr)
        XCTAssertEqual(try total(client), 3, "garbage keeps the last good version")

        try FileManager.default.removeItem(at: folder.appendingPathComponent("second.json"))
        XCTAssertEqual(try eventually(client, is: 2), 2, "a file removed")
        XCTAssertEqual(try total(client, "/updates?article=second"), 0)
        XCTAssertEqual(try server.stop(), 0)
    }

    func testReadyIsRefusedWithProgressDuringTheFirstLoadAndSIGTERMStillStopsAtOnce() throws {
        try SharedCorpus.require(SharedCorpus.sample)
        let folder = try folder([])
        // Enough raw text that the first load takes a while on two cores.
        let sample = try FileManager.default.contentsOfDirectory(atPath: SharedCorpus.sample.path).sorted()
        for copy in 0..<150 {
            for name in sample {
                try FileManager.default.copyItem(at: SharedCorpus.sample.appendingPathComponent(name),
                                                 to: folder.appendingPathComponent("\(copy)_\(name)"))
            }
        }
        let server = try LiveblogProcess(articles: folder, waitUntilReady: false)
        let client = try server.connect()
        let health = try client.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(health.status, 200, "alive while loading")
        // The folder is listed first: until then the total is not known.
        var ready = try client.exchange("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        for _ in 0..<50 where (ready.json?["detail"] as? String ?? "").contains("of 0 files") {
            usleep(20_000)
            ready = try client.exchange("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        XCTAssertEqual(ready.status, 503)
        XCTAssertEqual(ready.header("Retry-After"), "1")
        XCTAssertEqual(ready.header("Content-Type"), "application/problem+json")
        let detail = ready.json?["detail"] as? String ?? ""
        XCTAssertTrue(detail.contains("still loading") && detail.contains("of \(150 * sample.count) files"), detail)
        let started = Date()
        XCTAssertEqual(try server.stop(), 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "SIGTERM does not wait for the load")
    }

    func testTwoFilesWithOneIdAreReportedAndServedOnce() throws {
        let article = TestCorpus.article(id: "twin", count: 2)
        let folder = try folder([article])
        try Data("not the same article".utf8).write(to: folder.appendingPathComponent("twin.txt"))
        try write(TestCorpus.article(id: "other", count: 1), to: folder.appendingPathComponent("other.json"))
        let raw = "\u{20}date 2021-03-04\n\nLede.\n\n12:00 GMT – A raw update of the twin\nBody.\n"
        try Data(raw.utf8).write(to: folder.appendingPathComponent("twin.txt"))
        let server = try LiveblogProcess(articles: folder)
        let client = try server.connect()
        XCTAssertEqual(try total(client, "/updates?article=twin"), 2, "served once, from one file")
        XCTAssertTrue(server.stderr.contains("twin.txt: error: has the same article id as twin.json"), server.stderr)
        XCTAssertEqual(try server.stop(), 0)
    }

    func testAFileOverTheSizeLimitIsRefusedByNameUnread() throws {
        let folder = try folder([TestCorpus.article(id: "small", count: 1)])
        try Data(repeating: 0x41, count: 5000).write(to: folder.appendingPathComponent("huge.txt"))
        let server = try LiveblogProcess(articles: folder, extraArguments: ["--max-file-size", "4096"])
        XCTAssertEqual(try total(try server.connect()), 1)
        XCTAssertTrue(server.stderr.contains("huge.txt: error: too large: 5000 bytes, the limit is 4096"), server.stderr)
        XCTAssertEqual(try server.stop(), 0)
    }

    func testAnActorListsItsNewestUpdatesWithTheirCount() throws {
        var article = TestCorpus.article(id: "many", count: 30)
        article.updates = article.updates.map { var u = $0; u.actors = ["port-authority"]; return u }
        article.actors = [ActorRecord(id: "port-authority", name: "Port Authority", kind: .organization, mentions: 30)]
        let server = try LiveblogProcess(articles: try folder([article]))
        let actor = try server.connect().exchange("GET /actors/port-authority HTTP/1.1\r\nHost: t\r\n\r\n").json
        XCTAssertEqual((actor?["updates"] as? [String])?.count, 20)
        XCTAssertEqual(actor?["update_count"] as? Int, 30)
        XCTAssertEqual(actor?["quote_count"] as? Int, 0)
        XCTAssertEqual(try server.stop(), 0)
    }

    /// What a restart reads: the store snapshot for the files it still matches, the cache
    /// for the articles it does not hold, the normalizer for content seen nowhere.
    func testARestartReadsTheSnapshotAndTheCacheAndNormalizesOnlyChangedFiles() throws {
        try SharedCorpus.require(SharedCorpus.sample)
        let folder = try folder([])
        let cache = try self.folder([])
        for name in try FileManager.default.contentsOfDirectory(atPath: SharedCorpus.sample.path) {
            try FileManager.default.copyItem(at: SharedCorpus.sample.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
        // Files that stood still for a second are trusted by their stamp; the rest by content.
        sleep(1)
        let arguments = ["--cache-dir", cache.path]
        let page = "GET /updates?limit=500 HTTP/1.1\r\nHost: t\r\n\r\n"
        func start(expecting loaded: String) throws -> (process: LiveblogProcess, page: [UInt8]) {
            let process = try LiveblogProcess(articles: folder, extraArguments: arguments)
            let body = try process.connect().exchange(page).body
            try process.waitForStderr(containing: "loaded ")
            XCTAssertTrue(process.stderr.contains(loaded), process.stderr)
            return (process, body)
        }
        let cold = try start(expecting: "(0 refused, 0 from the normalization cache, 0 from the store snapshot)")
        try cold.process.waitForStderr(containing: "saved the store snapshot")
        XCTAssertEqual(try cold.process.stop(), 0)
        let snapshot = cache.appendingPathComponent(try XCTUnwrap(FileManager.default.enumerator(atPath: cache.path)?
            .compactMap { $0 as? String }.first { $0.hasSuffix("/store.snapshot") }))

        let warm = try start(expecting: "(0 refused, 0 from the normalization cache, 3 from the store snapshot)")
        XCTAssertEqual(try warm.process.stop(), 0)
        XCTAssertEqual(warm.page, cold.page, "the snapshot serves the same bytes")
        XCTAssertFalse(warm.process.stderr.contains("saved the store snapshot"), "an unchanged store is not written again")

        // A file touched but not changed is read again, and its content still matches.
        let touched = folder.appendingPathComponent("100_f873e646bb0f4369.txt")
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: touched.path)
        let touchedStart = try start(expecting: "(0 refused, 0 from the normalization cache, 3 from the store snapshot)")
        XCTAssertEqual(try touchedStart.process.stop(), 0)

        // One file changes: the snapshot still holds the other two, and is written again.
        let changed = folder.appendingPathComponent("100_f873e646bb0f4369.txt")
        let text = try String(contentsOf: changed, encoding: .utf8)
        try (text + "\n").write(to: changed, atomically: true, encoding: .utf8)
        let third = try start(expecting: "(0 refused, 0 from the normalization cache, 2 from the store snapshot)")
        try third.process.waitForStderr(containing: "saved the store snapshot")
        XCTAssertEqual(try third.process.stop(), 0)

        // A file removed while no server ran is gone after the restart.
        try FileManager.default.removeItem(at: changed)
        let fourth = try start(expecting: "(0 refused, 0 from the normalization cache, 2 from the store snapshot)")
        let articles = try fourth.process.connect().exchange("GET /articles HTTP/1.1\r\nHost: t\r\n\r\n").json
        XCTAssertEqual((articles?["articles"] as? [Any])?.count, 2)
        try fourth.process.waitForStderr(containing: "saved the store snapshot")
        XCTAssertEqual(try fourth.process.stop(), 0)
        try (text + "\n").write(to: changed, atomically: true, encoding: .utf8)

        // Without the snapshot, the cache gives every article back, normalized by content.
        try FileManager.default.removeItem(at: snapshot)
        let fifth = try start(expecting: "(0 refused, 3 from the normalization cache, 0 from the store snapshot)")
        try fifth.process.waitForStderr(containing: "saved the store snapshot")
        XCTAssertEqual(try fifth.process.stop(), 0)

        // A damaged snapshot is named, ignored and replaced; the cache serves meanwhile.
        var bytes = try Data(contentsOf: snapshot)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: snapshot)
        let sixth = try start(expecting: "(0 refused, 3 from the normalization cache, 0 from the store snapshot)")
        XCTAssertTrue(sixth.process.stderr.contains("warning: \(snapshot.path) is not an intact store snapshot: checksum mismatch"),
                      sixth.process.stderr)
        try sixth.process.waitForStderr(containing: "saved the store snapshot")
        XCTAssertEqual(try sixth.process.stop(), 0)
        let seventh = try start(expecting: "(0 refused, 0 from the normalization cache, 3 from the store snapshot)")
        XCTAssertEqual(try seventh.process.stop(), 0)
    }

    func testFilesThatCannotBeUsedAreReportedInPlainWordsWithWhereAndWhy() throws {
        let folder = try folder([TestCorpus.article(id: "fine", count: 1)])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder.txt"), withIntermediateDirectories: false)
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.txt").path, 0o600), 0)
        XCTAssertEqual(symlink("loop.txt", folder.appendingPathComponent("loop.txt").path), 0)
        try Data("{ \"format\": \"liveblog-article/1\",\n  \"id\": nope }".utf8).write(to: folder.appendingPathComponent("broken.json"))
        try Data("{\"format\":\"liveblog-article/1\",\"id\":\"short\"}".utf8).write(to: folder.appendingPathComponent("short.json"))
        let server = try LiveblogProcess(articles: folder)
        XCTAssertEqual(try total(try server.connect()), 1, "the good file is served")
        let report = server.stderr
        XCTAssertTrue(report.contains("folder.txt: error: not a regular file (a folder)"), report)
        XCTAssertTrue(report.contains("pipe.txt: error: not a regular file (a FIFO)"), report)
        XCTAssertTrue(report.contains("loop.txt: error: cannot read it: a loop of symbolic links"), report)
        XCTAssertTrue(report.contains("broken.json: error: not a normalized article: invalid JSON at line 2, column 9"), report)
        XCTAssertTrue(report.contains("short.json: error: not a normalized article: the field 'date' is missing"), report)
        for leak in ["NSCocoaErrorDomain", "DecodingError", "CodingKeys"] {
            XCTAssertFalse(report.contains(leak), "no Foundation internals: \(report)")
        }
        XCTAssertEqual(try server.stop(), 0)
    }

    func testWithoutWatchingThePeriodicRescanStillSeesChanges() throws {
        let folder = try folder([TestCorpus.article(id: "first", count: 2)])
        let server = try LiveblogProcess(articles: folder, extraArguments: ["--no-watch", "--rescan-seconds", "1"])
        let client = try server.connect()
        try write(TestCorpus.article(id: "second", count: 3), to: folder.appendingPathComponent("second.json"))
        // A rescan leaves a file modified within the last second for the next look: up to
        // two rescans and the settling second.
        let deadline = Date().addingTimeInterval(5)
        var seen: Int?
        while Date() < deadline, seen != 5 {
            seen = try total(client)
            usleep(50_000)
        }
        XCTAssertEqual(seen, 5, "the rescan found the new file")
        XCTAssertEqual(try server.stop(), 0)
    }
}
