import Foundation
import Glibc
import Synchronization
import XCTest
import HTTPParsing
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
        let client = try server.connect(timeoutSeconds: (HTTPLimits.requestTimeoutMilliseconds / 1000) + 10)
        let started = Date()
        // A slowloris client: a head that never ends.
        try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        let response = try client.readResponse()
        let waited = Date().timeIntervalSince(started)
        XCTAssertEqual(response.status, 408)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
        XCTAssertGreaterThanOrEqual(waited, Double((HTTPLimits.requestTimeoutMilliseconds / 1000)) - 1)
        XCTAssertTrue(try client.isClosedByServer())
        XCTAssertEqual(try server.stop(), 0)
    }

    /// Resident and peak resident memory of a process, in bytes (/proc/PID/status).
    static func memory(of pid: Int32) -> (resident: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                  let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
            return kilobytes * 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// What 4,000 distinct large pages may add to the process: the loops' response caches
    /// (each bounded in bytes) and room for the allocator, nothing per page kept.
    static let pageFloodMemoryBound = 2 * ResponseCache.maximumBytes + 64 * 1024 * 1024

    func testFourThousandDistinctLargePagesKeepMemoryBounded() throws {
        let folder = try TestCorpus.make(articles: [TestCorpus.article(id: "quay", count: 300)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try LiveblogProcess(articles: folder)
        let probe = try server.connect().exchange("GET /updates?limit=300 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertGreaterThan(probe.body.count, 60_000, "a large page")
        let baseline = Self.memory(of: server.process.processIdentifier).resident
        // Distinct targets, each a whole page: `since` before every update, to the minute.
        var targets: [String] = []
        for day in 1...3 { for hour in 0..<24 { for minute in 0..<60 where targets.count < 4000 {
            targets.append("/updates?limit=300&since=2021-03-0\(day)T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)")
        } } }
        // HEAD: the server builds (and may cache) every page but sends only its head. Two
        // clients, one per loop (most likely), each with half the targets.
        let halves = [Array(targets[0..<2000]), Array(targets[2000...])]
        let answered = Mutex<[Int]>([])
        let threads = try halves.map { half -> (Thread, DispatchSemaphore) in
            let client = try server.connect(timeoutSeconds: 60)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                defer { done.signal() }
                var ok = 0
                for batch in stride(from: 0, to: half.count, by: 100) {
                    let slice = half[batch..<min(half.count, batch + 100)]
                    guard (try? client.send(slice.map { "HEAD \($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())) != nil else { break }
                    for _ in slice where (try? client.readResponse(toHEAD: true).status) == 200 { ok += 1 }
                }
                answered.withLock { $0.append(ok) }
            }
            thread.start()
            return (thread, done)
        }
        for (_, done) in threads { XCTAssertEqual(done.wait(timeout: .now() + 120), .success) }
        XCTAssertEqual(answered.withLock { $0.reduce(0, +) }, targets.count, "every page answered")
        let after = Self.memory(of: server.process.processIdentifier)
        print("page flood: \(targets.count) pages of \(probe.body.count) bytes; resident \(baseline >> 20) MiB before, "
              + "peak \(after.peak >> 20) MiB, \(after.resident >> 20) MiB after; bound +\(Self.pageFloodMemoryBound >> 20) MiB")
        XCTAssertLessThan(after.peak - baseline, Self.pageFloodMemoryBound,
                          "peak \(after.peak >> 20) MiB from \(baseline >> 20) MiB; bound \(Self.pageFloodMemoryBound >> 20) MiB more")
        XCTAssertEqual(try server.stop(), 0)
    }

    func testAReaderThatTakesNothingIsDroppedAfterTheWriteTimeout() throws {
        let folder = try TestCorpus.make(articles: [TestCorpus.article(id: "quay", count: 300)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try LiveblogProcess(articles: folder)
        let reader = try server.connect(timeoutSeconds: 30)
        var small: Int32 = 4096
        setsockopt(reader.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        // Far more answer than the sockets hold (the server stops reading past its output
        // limit); then the client takes one byte a second, too little for any write to move.
        let requests = String(repeating: "GET /updates?limit=300 HTTP/1.1\r\nHost: t\r\n\r\n", count: 200)
        let writer = Thread { try? reader.send(requests) }
        writer.start()
        let started = Date()
        var closed = false
        let limit = Double(HTTPLimits.writeTimeoutMilliseconds) / 1000
        while !closed, Date().timeIntervalSince(started) < limit + 10 {
            Thread.sleep(forTimeInterval: 1)
            var byte: UInt8 = 0
            let n = Glibc.recv(reader.fd, &byte, 1, Int32(MSG_DONTWAIT))
            // Once dropped, what the socket still holds can go; then it ends or resets.
            if n <= 0 && errno != EAGAIN { closed = true }
            if Date().timeIntervalSince(started) > limit {
                var chunk = [UInt8](repeating: 0, count: 65536)
                while true {
                    let got = Glibc.recv(reader.fd, &chunk, chunk.count, Int32(MSG_DONTWAIT))
                    if got > 0 { continue }
                    if got == 0 || errno != EAGAIN { closed = true }
                    break
                }
            }
        }
        XCTAssertTrue(closed, "the server dropped the reader")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), limit - 1, "not before the write timeout")
        XCTAssertEqual(try server.connect().exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200)
        XCTAssertEqual(try server.stop(), 0)
    }
}
