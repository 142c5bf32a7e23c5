import Foundation
import XCTest

/// The real binary serving real corpora, judged by the shared scorer and over raw sockets.
final class CorpusEndToEndTests: XCTestCase {
    func testDevCorpusPassesEveryDefaultThresholdOfTheScorer() throws {
        try SharedCorpus.require(SharedCorpus.dev)
        try SharedCorpus.require(SharedCorpus.scorer)
        let server = try LiveblogProcess(articles: SharedCorpus.dev)
        defer { _ = try? server.stop() }
        let (status, output) = try SharedCorpus.score(port: server.port, expected: SharedCorpus.devExpected)
        let summary = output.split(separator: "\n").last.map(String.init) ?? ""
        print("score-corpus (dev): \(summary)")
        XCTAssertEqual(status, 0, "score-corpus failed a threshold:\n\(output)")
        XCTAssertTrue(summary.contains("artifacts 0"), summary)
        XCTAssertFalse(summary.contains("FAIL"), summary)
    }

    /// Real captures of several outlets (issue 10), at the scorer's default thresholds.
    func testRealCapturesOfSeveralOutletsPassTheScorer() throws {
        try SharedCorpus.require(SharedCorpus.real)
        try SharedCorpus.require(SharedCorpus.scorer)
        let server = try LiveblogProcess(articles: SharedCorpus.real)
        defer { _ = try? server.stop() }
        let (status, output) = try SharedCorpus.score(port: server.port, expected: SharedCorpus.realExpected)
        let summary = output.split(separator: "\n").last.map(String.init) ?? ""
        print("score-corpus (real): \(summary)")
        XCTAssertEqual(status, 0, "score-corpus failed a threshold:\n\(output)")
        XCTAssertTrue(summary.contains("artifacts 0"), summary)
        XCTAssertFalse(server.stderr.contains("error:"), "every real capture is served:\n\(server.stderr)")
    }

    func testShippedSampleCorpusPassesTheScorerAgainstItsOwnExpectedResults() throws {
        try SharedCorpus.require(SharedCorpus.scorer)
        let server = try LiveblogProcess(articles: SharedCorpus.sample)
        defer { _ = try? server.stop() }
        let (status, output) = try SharedCorpus.score(port: server.port, expected: SharedCorpus.sampleExpected)
        let summary = output.split(separator: "\n").last.map(String.init) ?? ""
        print("score-corpus (sample): \(summary)")
        XCTAssertEqual(status, 0, "score-corpus failed a threshold:\n\(output)")
    }

    func testSharedBadFilesAreReportedByNameWhileTheGoodOnesAreServed() throws {
        try SharedCorpus.require(SharedCorpus.bad)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liveblog-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for source in [SharedCorpus.bad, SharedCorpus.dev] {
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".txt") {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
        }
        let server = try LiveblogProcess(articles: folder)
        defer { _ = try? server.stop() }
        let stderr = server.stderr
        for line in stderr.split(separator: "\n") where line.contains("b0") { print("stderr: \(line)") }
        XCTAssertTrue(stderr.contains("b01_empty.txt: error: empty file"), stderr)
        XCTAssertTrue(stderr.contains("b02_no_date_header.txt: error: missing date header"), stderr)
        // The impossible time is named with its line; the file is still served.
        XCTAssertTrue(stderr.range(of: #"b03_impossible_time\.txt: warning: line \d+: impossible time '25:61'"#,
                                   options: .regularExpression) != nil, stderr)

        let client = try server.connect()
        let b03 = try client.exchange("GET /updates?article=b03_impossible_time HTTP/1.1\r\nHost: t\r\n\r\n")
        let updates = b03.json?["updates"] as? [[String: Any]] ?? []
        XCTAssertEqual(updates.compactMap { $0["time"] as? String }, ["2020-10-30T16:50:00Z", "2020-10-30T14:05:00Z"])
        let bodies = updates.flatMap { $0["body"] as? [String] ?? [] }
        XCTAssertFalse(bodies.contains { $0.contains("Vathy") }, "the dropped update's paragraph must not be glued elsewhere")
        let everything = try client.exchange("GET /updates?limit=1 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(everything.json?["total"] as? Int, 46 + 2, "every dev update and b03's two are served")
        let empty = try client.exchange("GET /updates?article=b01_empty HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(empty.json?["total"] as? Int, 0)
    }
}
