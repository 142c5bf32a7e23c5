import Foundation
import Glibc
import XCTest
@testable import Server

/// Limits the server meets from the outside: descriptors running out, clients that send
/// their head too slowly.
final class ResourceLimitTests: XCTestCase {
    func testRunningOutOfDescriptorsPausesAcceptingWithoutSpinning() throws {
        let folder = try TestCorpus.make(articles: [TestCorpus.article(id: "quay", count: 2)])
        defer { try? FileManager.default.removeItem(at: folder) }
        // One loop, so one listening socket accepts in arrival order: with a socket per loop the
        // kernel spreads connections by address, and the first one may wait behind the other
        // loop's share of the descriptors.
        let server = try LiveblogProcess(articles: folder, extraArguments: ["--loops", "1"], openFileLimit: 48)
        // More connections than the server has descriptors: the kernel completes them into
        // the backlog; accept fails with EMFILE for the rest.
        var clients: [RawClient] = []
        for _ in 0..<80 { clients.append(try server.connect()) }
        let before = server.cpuSeconds
        Thread.sleep(forTimeInterval: 2)
        let spent = server.cpuSeconds - before
        XCTAssertLessThan(spent, 0.5, "a server spinning on accept would use the whole 2 s")
        // The first ones were accepted and are served.
        XCTAssertEqual(try clients[0].exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        clients.removeAll()
        // With descriptors free again, accepting resumes (it pauses for a second at a time).
        var answered = false
        for _ in 0..<50 where !answered {
            if let status = try? server.connect().exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status {
                answered = status == 200
            } else {
                usleep(100_000)
            }
        }
        XCTAssertTrue(answered)
        XCTAssertEqual(try server.stop(), 0)
        XCTAssertTrue(server.stderr.isEmpty || !server.stderr.contains("fatal"), server.stderr)
    }

    func testSlowHeadGets408AndIsClosed() throws {
        let folder = try TestCorpus.make(articles: [TestCorpus.article(id: "quay", count: 2)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try LiveblogProcess(articles: folder)
        let client = try server.connect(timeoutSeconds: HTTPLimits.headerTimeoutSeconds + 10)
        let started = Date()
        // A slowloris client: a head that never ends.
        try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        let response = try client.readResponse()
        let waited = Date().timeIntervalSince(started)
        XCTAssertEqual(response.status, 408)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
        XCTAssertGreaterThanOrEqual(waited, Double(HTTPLimits.headerTimeoutSeconds) - 1)
        XCTAssertTrue(try client.isClosedByServer())
        XCTAssertEqual(try server.stop(), 0)
    }
}
