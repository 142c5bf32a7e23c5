import Foundation
import Glibc
import HTTPParsing
import XCTest

/// Hostile bodies over real sockets: a chunked body whose trailer section or chunk
/// extensions never end is cut at its named limit, and costs the server little CPU.
final class FloodTests: XCTestCase {
    var server: LiveblogProcess!

    override func setUpWithError() throws {
        server = try LiveblogProcess(articles: try TestCorpus.make(articles: [TestCorpus.article(id: "quay", count: 3)]))
    }

    override func tearDownWithError() throws {
        if let server {
            defer { try? FileManager.default.removeItem(at: server.articles) }
            XCTAssertEqual(try server.stop(), 0)
        }
        server = nil
    }

    static let chunkedHead = "POST /updates HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"

    /// Sends `line` again and again after `prefix`, checking for an answer before each line
    /// once past `limit` bytes (waiting up to a second for it there): returns the bytes sent
    /// before the answer came, and the answer.
    func floodUntilAnswered(prefix: String, line: String, limit: Int) throws -> (sent: Int, response: RawClient.Response) {
        let client = try server.connect()
        try client.send(prefix)
        var sent = 0
        while sent < 1_000_000 {
            if Self.hasInput(client, waitMilliseconds: sent > limit ? 1000 : 0) { break }
            try client.send(line)
            sent += line.utf8.count
        }
        return (sent, try client.readResponse())
    }

    /// Floods as fast as the socket takes it until the server closes the connection (or 20 MB).
    func floodUntilClosed(prefix: String, line: String) throws -> Int {
        let client = try server.connect()
        try client.send(prefix)
        let block = Array(String(repeating: line, count: max(1, 65536 / line.utf8.count)).utf8)
        var sent = 0
        while sent < 20_000_000 {
            let n = block.withUnsafeBytes { Glibc.send(client.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { break }
            sent += n
        }
        return sent
    }

    static func hasInput(_ client: RawClient, waitMilliseconds: Int32) -> Bool {
        var poll = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&poll, 1, waitMilliseconds) > 0
    }

    func testATrailerFloodIsCutAtTheTrailerLimitForLittleCPU() throws {
        let line = "X-Trailer: " + String(repeating: "a", count: 500) + "\r\n"
        let before = server.cpuSeconds
        let (sent, response) = try floodUntilAnswered(prefix: Self.chunkedHead + "0\r\n", line: line, limit: HTTPLimits.maximumTrailerBytes)
        XCTAssertEqual(response.status, 431)
        XCTAssertTrue((response.json?["detail"] as? String)?.contains("trailer section") ?? false, response.text)
        XCTAssertLessThanOrEqual(sent, HTTPLimits.maximumTrailerBytes + line.utf8.count, "answered within the limit and one line")
        // And a client that never stops sending is dropped: it does not keep a loop busy.
        let flooded = try floodUntilClosed(prefix: Self.chunkedHead + "0\r\n", line: line)
        XCTAssertLessThan(flooded, 20_000_000, "the connection was closed under the flood")
        let spent = server.cpuSeconds - before
        XCTAssertLessThan(spent, 0.2, "CPU the server spent on both floods, in seconds")
        XCTAssertEqual(try server.connect().exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
    }

    func testAChunkExtensionFloodIsCutAtTheMetadataLimitForLittleCPU() throws {
        let line = "1;ext=" + String(repeating: "e", count: 200) + "\r\nx\r\n"
        let before = server.cpuSeconds
        let (sent, response) = try floodUntilAnswered(prefix: Self.chunkedHead, line: line, limit: HTTPLimits.maximumChunkMetadataBytes)
        XCTAssertEqual(response.status, 413)
        XCTAssertTrue((response.json?["detail"] as? String)?.contains("chunk-size lines") ?? false, response.text)
        XCTAssertLessThanOrEqual(sent, HTTPLimits.maximumChunkMetadataBytes + 2 * line.utf8.count)
        let flooded = try floodUntilClosed(prefix: Self.chunkedHead, line: line)
        XCTAssertLessThan(flooded, 20_000_000)
        XCTAssertLessThan(server.cpuSeconds - before, 0.2, "CPU the server spent on both floods, in seconds")
    }

    func testEmptyLinesBeforeARequestAreCutAtTheHeaderLimit() throws {
        let (sent, response) = try floodUntilAnswered(prefix: "", line: "\r\n", limit: HTTPLimits.maximumHeaderBytes)
        XCTAssertEqual(response.status, 431)
        XCTAssertLessThanOrEqual(sent, HTTPLimits.maximumHeaderBytes + 2)
    }
}
