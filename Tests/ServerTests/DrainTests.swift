import Foundation
import Glibc
import HTTPParsing
import XCTest

/// SIGTERM loses no request: the server stops accepting, answers what each connection has
/// sent or sends within the drain grace with `Connection: close`, then closes it.
final class DrainTests: XCTestCase {
    func makeServer() throws -> LiveblogProcess {
        try LiveblogProcess(articles: try TestCorpus.make(articles: [TestCorpus.article(id: "quay", count: 20)]))
    }

    /// One keep-alive client asking as fast as it is answered, until an answer says close.
    final class BusyClient: @unchecked Sendable {
        let client: RawClient
        var sent = 0
        var answered = 0
        var lastConnectionField: String?
        var failure: String?
        var closedAfterwards = false
        let done = DispatchSemaphore(value: 0)

        init(_ client: RawClient) { self.client = client }

        func run() {
            defer { done.signal() }
            do {
                while true {
                    try client.send("GET /updates?limit=\(sent % 5 + 1) HTTP/1.1\r\nHost: t\r\n\r\n")
                    sent += 1
                    let response = try client.readResponse()
                    guard response.status == 200 else { throw Failure("status \(response.status)") }
                    answered += 1
                    lastConnectionField = response.header("Connection")
                    if lastConnectionField?.lowercased() == "close" { break }
                }
                closedAfterwards = try client.isClosedByServer()
            } catch {
                failure = "\(error)"
            }
        }
    }

    func testSixtyFourBusyKeepAliveClientsLoseNoRequestAtSIGTERM() throws {
        let server = try makeServer()
        defer { try? FileManager.default.removeItem(at: server.articles) }
        let clients = try (0..<64).map { _ in BusyClient(try server.connect()) }
        for client in clients { Thread { client.run() }.start() }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(clients.allSatisfy { $0.answered > 0 }, "every client is busy before the stop")
        kill(server.process.processIdentifier, SIGTERM)
        for client in clients { XCTAssertEqual(client.done.wait(timeout: .now() + 15), .success) }
        XCTAssertEqual(try server.stop(), 0)
        for (index, client) in clients.enumerated() {
            XCTAssertNil(client.failure, "client \(index): \(client.answered) of \(client.sent) answered")
            XCTAssertEqual(client.answered, client.sent, "client \(index): every request sent is answered")
            XCTAssertEqual(client.lastConnectionField?.lowercased(), "close", "client \(index): the last answer says close")
            XCTAssertTrue(client.closedAfterwards, "client \(index): then the server closes")
        }
        let total = clients.reduce(0) { $0 + $1.answered }
        XCTAssertGreaterThan(total, 64)
    }

    func testARequestAlreadyInTheSocketAtSIGTERMIsAnsweredWithClose() throws {
        let server = try makeServer()
        defer { try? FileManager.default.removeItem(at: server.articles) }
        let client = try server.connect()
        XCTAssertEqual(try client.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        // Stop the server's loops from reading (SIGSTOP), queue a request, then ask it to stop.
        kill(server.process.processIdentifier, SIGSTOP)
        try client.send("GET /updates?limit=2 HTTP/1.1\r\nHost: t\r\n\r\n")
        kill(server.process.processIdentifier, SIGTERM)
        kill(server.process.processIdentifier, SIGCONT)
        // The loops may read it just before or just after they see the stop: either way it
        // is answered, and the connection then closed.
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual((response.json?["updates"] as? [Any])?.count, 2)
        XCTAssertTrue(try client.isClosedByServer())
        XCTAssertEqual(try server.stop(), 0)
    }

    func testAnIdleConnectionIsClosedAfterTheGraceAndARequestWithinItIsAnswered() throws {
        let server = try makeServer()
        defer { try? FileManager.default.removeItem(at: server.articles) }
        let silent = try server.connect()
        let late = try server.connect()
        XCTAssertEqual(try silent.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        XCTAssertEqual(try late.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        let stopped = Date()
        kill(server.process.processIdentifier, SIGTERM)
        // Within the grace: still answered, with close.
        Thread.sleep(forTimeInterval: Double(HTTPLimits.drainGraceMilliseconds) / 4000)
        let response = try late.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Connection")?.lowercased(), "close")
        XCTAssertThrowsError(try server.connect(), "no new connection is accepted while draining")
        // The silent one is closed once the grace is over, and the process is gone soon after.
        XCTAssertTrue(try silent.isClosedByServer())
        let waited = Date().timeIntervalSince(stopped)
        XCTAssertGreaterThanOrEqual(waited, Double(HTTPLimits.drainGraceMilliseconds) / 1000 - 0.05)
        XCTAssertLessThan(waited, Double(HTTPLimits.drainGraceMilliseconds) / 1000 + 1, "a sub-second deadline, kept")
        XCTAssertEqual(try server.stop(timeout: 3), 0)
    }
}
