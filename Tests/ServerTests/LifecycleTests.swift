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
