import Foundation
import Glibc
@testable import Server
import XCTest

/// The access log: its lines as a reader parses them, the setting, and what happens when
/// its writer falls behind (lines dropped and counted, the loop never waits).
final class AccessLogTests: XCTestCase {
    func testALineIsOneJSONObjectWithEveryFieldAndTheTargetEscaped() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let log = AccessLog(output: fds[1]) { _ in XCTFail("nothing should be dropped") }
        log.start()
        let buffer = log.makeBuffer()
        let method = Array("GET".utf8), target = Array("/a\"b\\c\u{1}".utf8)
        method.withUnsafeBytes { method in
            target.withUnsafeBytes { target in
                buffer.append(method: method, target: target, status: 404, bodyBytes: 127, nanoseconds: 1_234_567, remote: "[::1]:50312")
            }
        }
        buffer.append(method: nil, target: nil, status: 400, bodyBytes: 90, nanoseconds: 0, remote: "127.0.0.1:1")
        buffer.handOver(wait: true)
        log.finish()
        close(fds[1])
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(first["method"] as? String, "GET")
        XCTAssertEqual(first["target"] as? String, "/a\"b\\c\u{1}")
        XCTAssertEqual(first["status"] as? Int, 404)
        XCTAssertEqual(first["bytes"] as? Int, 127)
        XCTAssertEqual(first["duration"] as? Double, 0.001234)
        XCTAssertEqual(first["remote"] as? String, "[::1]:50312")
        let time = try XCTUnwrap(first["time"] as? String)
        XCTAssertNotNil(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression), time)
        let second = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        XCTAssertEqual(second["method"] as? String, "", "the engine refused it before the method was known")
    }

    func testAWriterThatFallsBehindDropsAndCountsLinesWithoutBlocking() {
        let dropped = DroppedCount()
        // Never started: nothing drains the queue, as when standard output is stuck.
        let log = AccessLog(output: -1) { dropped.add($0) }
        let batch = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<(AccessLog.maximumQueuedBytes >> 20) {
            XCTAssertTrue(log.enqueue(batch, lines: 10))
        }
        XCTAssertEqual(dropped.value, 0)
        XCTAssertTrue(log.enqueue(batch, lines: 10), "a full queue takes the batch off the loop's hands")
        XCTAssertEqual(dropped.value, 10, "and counts its lines as dropped")
    }

    func testTheSettingComesFromTheFlagOrTheEnvironment() throws {
        XCTAssertFalse(try AccessLogSetting.enabled(flag: false, environment: nil))
        XCTAssertTrue(try AccessLogSetting.enabled(flag: true, environment: "off"))
        XCTAssertTrue(try AccessLogSetting.enabled(flag: false, environment: "1"))
        XCTAssertTrue(try AccessLogSetting.enabled(flag: false, environment: "On"))
        XCTAssertFalse(try AccessLogSetting.enabled(flag: false, environment: "false"))
        XCTAssertThrowsError(try AccessLogSetting.enabled(flag: false, environment: "loud")) { error in
            XCTAssertTrue("\(error)".contains("LIVEBLOG_ACCESS_LOG"), "\(error)")
        }
    }

    func testTheServerLogsEachRequestOnlyWhenAsked() throws {
        let articles = try TestCorpus.make(articles: [TestCorpus.article(id: "l1_log", count: 2)])
        defer { try? FileManager.default.removeItem(at: articles) }
        let server = try LiveblogProcess(articles: articles, extraArguments: ["--access-log"])
        let client = try server.connect()
        let page = try client.exchange("GET /updates?limit=1 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(try client.exchange("HEAD /nowhere HTTP/1.1\r\nHost: t\r\n\r\n", toHEAD: true).status, 404)
        // The readiness probes the test harness made before are logged too: skip them.
        var lines: [String] = []
        while lines.count < 2 {
            let line = try server.readLine(timeout: 10)
            if !line.contains("\"/readyz\"") { lines.append(line) }
        }
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any], lines[0])
        XCTAssertEqual(first["method"] as? String, "GET")
        XCTAssertEqual(first["target"] as? String, "/updates?limit=1")
        XCTAssertEqual(first["status"] as? Int, 200)
        XCTAssertEqual(first["bytes"] as? Int, page.body.count)
        XCTAssertEqual(first["remote"] as? String, "127.0.0.1:\(try localPort(of: client.fd))")
        XCTAssertGreaterThanOrEqual(first["duration"] as? Double ?? -1, 0)
        let second = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any], lines[1])
        XCTAssertEqual(second["status"] as? Int, 404)
        XCTAssertEqual(second["bytes"] as? Int, 0, "HEAD sends no body")
        XCTAssertEqual(try server.stop(), 0)

        let quiet = try LiveblogProcess(articles: articles)
        XCTAssertEqual(try quiet.connect().exchange("GET /updates HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        XCTAssertEqual(try quiet.stop(), 0)
        XCTAssertThrowsError(try quiet.readLine(timeout: 2), "without --access-log nothing more is written")
    }

    private func localPort(of fd: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw Failure("getsockname failed") }
        return UInt16(bigEndian: address.sin_port)
    }
}

private final class DroppedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
