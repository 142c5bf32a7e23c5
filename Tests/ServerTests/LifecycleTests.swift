import Foundation
import Glibc
import Store
import XCTest

/// Starting, reloading and stopping the built server, and what it tells the operator.
final class LifecycleTests: XCTestCase {
    var folders: [URL] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    func corpus(_ articles: [Article], extraFiles: [String: String] = [:]) throws -> URL {
        let folder = try TestCorpus.make(articles: articles, extraFiles: extraFiles)
        folders.append(folder)
        return folder
    }

    func run(_ arguments: [String], timeout: TimeInterval = 20) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try LiveblogProcess.locateBinary()
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw Failure("liveblog \(arguments) did not exit within \(timeout) s")
        }
        return (process.terminationStatus,
                (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    func testSIGTERMAndSIGINTStopCleanlyWithStatusZero() throws {
        let folder = try corpus([TestCorpus.article(id: "quay", count: 3)])
        for signal in [SIGTERM, SIGINT] {
            let server = try LiveblogProcess(articles: folder)
            let idle = try server.connect()
            XCTAssertEqual(try idle.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
            // An idle keep-alive connection must not hold the stop up.
            XCTAssertEqual(try server.stop(signal: signal, timeout: 5), 0)
            XCTAssertTrue(try idle.isClosedByServer())
        }
    }

    func testReadyzAnswersOnceListening() throws {
        let server = try LiveblogProcess(articles: try corpus([TestCorpus.article(id: "quay", count: 3)]))
        let response = try server.connect().exchange("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        try server.stop()
    }

    func testBadArticleFilesAreReportedByNameWhileGoodOnesAreServed() throws {
        let folder = try corpus([TestCorpus.article(id: "good-one", count: 4)],
                                extraFiles: ["broken-json.json": "{\"format\": \"liveblog-article/1\", \"id\": ",
                                             "empty-text.txt": ""])
        let server = try LiveblogProcess(articles: folder)
        let response = try server.connect().exchange("GET /updates HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.json?["total"] as? Int, 4)
        try server.stop()
        let stderr = server.stderr
        XCTAssertTrue(stderr.contains("broken-json.json: error:"), stderr)
        XCTAssertTrue(stderr.contains("empty-text.txt: error:"), stderr)
        XCTAssertFalse(stderr.contains("good-one.json: error"), stderr)
    }

    func testSIGHUPReloadsTheArticlesFolder() throws {
        let folder = try corpus([TestCorpus.article(id: "first", count: 2)])
        let server = try LiveblogProcess(articles: folder, extraArguments: ["--no-watch", "--rescan-seconds", "0"])
        let client = try server.connect()
        let request = "GET /updates HTTP/1.1\r\nHost: t\r\n\r\n"
        try JSONEncoder().encode(TestCorpus.article(id: "unseen", count: 1))
            .write(to: folder.appendingPathComponent("unseen.json"))
        usleep(1_500_000)
        XCTAssertEqual(try client.exchange(request).json?["total"] as? Int, 2, "without watching, nothing changes before SIGHUP")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("unseen.json"))
        XCTAssertEqual(try client.exchange(request).json?["total"] as? Int, 2)
        try JSONEncoder().encode(TestCorpus.article(id: "second", count: 5))
            .write(to: folder.appendingPathComponent("second.json"))
        kill(server.process.processIdentifier, SIGHUP)
        var total: Int?
        for _ in 0..<100 {
            total = try client.exchange(request).json?["total"] as? Int
            if total == 7 { break }
            usleep(50_000)
        }
        XCTAssertEqual(total, 7, "the reloaded store serves the new file, on the same connection")
        XCTAssertEqual(try server.stop(), 0)
        XCTAssertTrue(server.stderr.contains("reloaded"), server.stderr)
    }

    func testSIGTERMDuringASlowReloadExitsWithinOneSecond() throws {
        try SharedCorpus.require(SharedCorpus.sample)
        let folder = try corpus([TestCorpus.article(id: "first", count: 2)])
        let cacheFolder = try corpus([])
        // Started small and not watching, so that the only slow step is the reload below.
        let server = try LiveblogProcess(articles: folder, extraArguments: ["--no-watch", "--rescan-seconds", "0"],
                                         environment: ["LIVEBLOG_CACHE_DIR": cacheFolder.path])
        // Raw articles to normalize (nothing cached), enough that a debug build takes seconds.
        let sample = try FileManager.default.contentsOfDirectory(atPath: SharedCorpus.sample.path).sorted()
        let copies = 400
        let settled = Date().addingTimeInterval(-10)
        for copy in 0..<copies {
            for name in sample {
                let url = folder.appendingPathComponent("\(copy)_\(name)")
                try FileManager.default.copyItem(at: SharedCorpus.sample.appendingPathComponent(name), to: url)
                // Older than the rescan's settle time, so that the reload reads every file now.
                try FileManager.default.setAttributes([.modificationDate: settled], ofItemAtPath: url.path)
            }
        }
        let added = copies * sample.count
        let cachedBefore = cacheEntries(cacheFolder)
        let hangUp = Date()
        kill(server.process.processIdentifier, SIGHUP)
        // Each article the reload normalizes is saved to the cache as it goes: some saved and
        // no "reloaded" line means the reload is in progress.
        let underway = added / 20
        let deadline = Date().addingTimeInterval(20)
        while cacheEntries(cacheFolder) - cachedBefore < underway && Date() < deadline { usleep(5_000) }
        let normalizedBeforeStop = cacheEntries(cacheFolder) - cachedBefore
        let reloadSeconds = Date().timeIntervalSince(hangUp) / Double(max(normalizedBeforeStop, 1)) * Double(added)
        XCTAssertGreaterThanOrEqual(normalizedBeforeStop, underway, "the reload never got going")
        XCTAssertFalse(server.stderr.contains("reloaded"), "the reload was over before SIGTERM: \(server.stderr)")
        let started = Date()
        XCTAssertEqual(try server.stop(timeout: 5), 0)
        let took = Date().timeIntervalSince(started)
        XCTAssertLessThan(took, 1, "SIGTERM waited for the reload")
        let normalizedInAll = cacheEntries(cacheFolder) - cachedBefore
        XCTAssertLessThan(normalizedInAll, added, "the reload finished, so the stop did not interrupt it")
        XCTAssertFalse(server.stderr.contains("reloaded"), server.stderr)
        print("SIGTERM during a reload (\(normalizedBeforeStop) of \(added) files normalized, about "
            + "\(String(format: "%.1f", reloadSeconds)) s for the whole): exited in \(String(format: "%.3f", took)) s")
    }

    /// Articles saved in a normalization cache folder (one file each, in its version folder).
    private func cacheEntries(_ folder: URL) -> Int {
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".article") }.count
    }

    func testIPv6Loopback() throws {
        let server = try LiveblogProcess(articles: try corpus([TestCorpus.article(id: "quay", count: 1)]), host: "::1")
        XCTAssertTrue(server.address.hasPrefix("[::1]:"), server.address)
        let response = try server.connect().exchange("GET /healthz HTTP/1.1\r\nHost: [::1]\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        try server.stop()
    }

    func testPortInUseIsAClearErrorAndNonZeroExit() throws {
        let folder = try corpus([TestCorpus.article(id: "quay", count: 1)])
        let first = try LiveblogProcess(articles: folder)
        let result = try run(["serve", "--articles", folder.path, "--host", "127.0.0.1", "--port", String(first.port)])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("already in use"), result.stderr)
        XCTAssertFalse(result.stdout.contains("listening on"))
        try first.stop()
    }

    func testBadHostIsAClearErrorAndNonZeroExit() throws {
        let folder = try corpus([TestCorpus.article(id: "quay", count: 1)])
        let result = try run(["serve", "--articles", folder.path, "--host", "not a host!", "--port", "0"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("not a host!"), result.stderr)
    }

    func testMissingArticlesFolderIsAClearError() throws {
        let result = try run(["serve", "--articles", "/nonexistent/liveblog-folder", "--port", "0"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("/nonexistent/liveblog-folder"), result.stderr)
    }

    func testEnvironmentSuppliesSettingsAndFlagsWin() throws {
        let folder = try corpus([TestCorpus.article(id: "from-env", count: 3)])
        let other = try corpus([TestCorpus.article(id: "from-flag", count: 6)])
        // LIVEBLOG_ARTICLES names a folder; the flag names another and wins.
        let server = try LiveblogProcess(articles: other, environment: ["LIVEBLOG_ARTICLES": folder.path])
        XCTAssertEqual(try server.connect().exchange("GET /updates HTTP/1.1\r\nHost: t\r\n\r\n").json?["total"] as? Int, 6)
        try server.stop()
    }

    func testHealthcheckCommand() throws {
        let server = try LiveblogProcess(articles: try corpus([TestCorpus.article(id: "quay", count: 1)]))
        XCTAssertEqual(try run(["healthcheck", "--port", String(server.port)]).status, 0)
        try server.stop()
        XCTAssertNotEqual(try run(["healthcheck", "--port", String(server.port)]).status, 0)
    }

    func testNormalizePrintsGoodFilesAndNamesBadOnes() throws {
        let article = TestCorpus.article(id: "dock", count: 2)
        let folder = try corpus([article], extraFiles: ["bad.json": "not json"])
        let result = try run(["normalize", folder.appendingPathComponent("dock.json").path,
                              folder.appendingPathComponent("bad.json").path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("bad.json"), result.stderr)
        let decoded = try JSONDecoder().decode(Article.self, from: Data(result.stdout.utf8))
        XCTAssertEqual(decoded, article)
    }
}
