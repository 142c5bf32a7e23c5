import Foundation
import Glibc
import Store
import XCTest

/// `GET /stream` against the real binary over real sockets: articles written to the watched
/// folder arrive as events, filtered, resumable, bounded, and ended cleanly on SIGTERM.
final class StreamEndToEndTests: XCTestCase {
    /// Adds (or replaces) an article the way an operator's tool would: written beside the
    /// folder, then renamed in, so that it is never seen half written.
    static func publish(_ article: Article, to server: LiveblogProcess) throws {
        let temporary = server.articles.deletingLastPathComponent().appendingPathComponent(".\(article.id)-\(UUID().uuidString).json")
        try JSONEncoder().encode(article).write(to: temporary)
        guard rename(temporary.path, server.articles.appendingPathComponent(article.id + ".json").path) == 0 else {
            throw Failure("rename into the folder: \(String(cString: strerror(errno)))")
        }
        // No SIGHUP: the folder watcher sees the rename.
    }

    /// An article of `count` updates, one a minute from 08:00 on `day` of March 2022, each
    /// with a body of about `bodyBytes`.
    static func article(_ id: String, count: Int, day: Int = 10, headline: String = "Ferry timetable changes",
                        bodyBytes: Int = 80) -> Article {
        let paragraph = String(repeating: "The harbour master posted the new crossings at the quay. ", count: max(1, bodyBytes / 57))
        let updates = (0..<count).map { index -> Update in
            let time = Instant(year: 2022, month: 3, day: day + index / 600, hour: 8 + (index % 600) / 60, minute: index % 60)!
            return Update(id: "\(id)/\(time.rfc3339)", time: time, article: id, headline: "\(headline) \(index)", body: [paragraph])
        }
        return Article(id: id, date: "2022-03-\(day)", lede: ["Transport news."], updates: updates.reversed(), actors: [])
    }

    func start(_ articles: [Article] = [article("500_base", count: 2, day: 1)], extraArguments: [String] = []) throws -> LiveblogProcess {
        try LiveblogProcess(articles: try TestCorpus.make(articles: articles), extraArguments: extraArguments)
    }

    func testAFileAddedArrivesAsAnUpdateEventWithTheJSONOfUpdates() throws {
        let server = try start()
        let stream = try StreamClient(server)
        XCTAssertEqual(stream.status, 200)
        XCTAssertEqual(stream.header("Content-Type"), "text/event-stream; charset=utf-8")
        XCTAssertEqual(stream.header("X-Accel-Buffering"), "no")
        XCTAssertEqual(stream.header("Cache-Control"), "no-cache")

        try Self.publish(Self.article("501_new", count: 2, headline: "Night bus added"), to: server)
        let events = try stream.next(2)
        XCTAssertEqual(stream.retry, 3000)
        XCTAssertEqual(events.map(\.type), ["update", "update"])
        // Oldest first; each `data` is the update exactly as /updates serves it.
        let page = try server.connect().exchange("GET /updates?article=501_new&order=asc HTTP/1.1\r\nHost: x\r\n\r\n")
        let updates = try XCTUnwrap(page.json?["updates"] as? [[String: Any]])
        XCTAssertEqual(events.map { $0.json?["id"] as? String }, updates.map { $0["id"] as? String })
        let pageText = page.text
        for event in events { XCTAssertTrue(pageText.contains(event.data), "not byte for byte what /updates holds: \(event.data)") }
        XCTAssertEqual(events[0].json?["headline"] as? String, "Night bus added 0")
        let ids = events.compactMap { $0.id.flatMap(UInt64.init) }
        XCTAssertEqual(ids.count, 2)
        XCTAssertLessThan(ids[0], ids[1])
        XCTAssertEqual(try server.stop(), 0)
    }

    func testFiltersHoldAnArticleSubscriberHearsNothingOfAnother() throws {
        let server = try start()
        let mine = try StreamClient(server, query: "?article=502_mine")
        let words = try StreamClient(server, query: "?q=lighthouse")
        let everything = try StreamClient(server)
        try Self.publish(Self.article("503_other", count: 3), to: server)
        XCTAssertEqual(try everything.next(3).map(\.type), ["update", "update", "update"])
        try Self.publish(Self.article("502_mine", count: 1, headline: "Lighthouse reopens"), to: server)
        let got = try XCTUnwrap(try mine.next())
        XCTAssertEqual(got.json?["article"] as? String, "502_mine", "an article= subscriber got another article's update first")
        XCTAssertEqual(try words.next()?.json?["headline"] as? String, "Lighthouse reopens 0")
        XCTAssertTrue(try mine.isQuiet(for: 0.5))
        let bad = try StreamClient(server, query: "?limit=5")
        XCTAssertEqual(bad.status, 400)
    }

    func testOneChangeReachesEachFramingWholeAndEachFilterItsShare() throws {
        let server = try start()
        let plain = try StreamClient(server, version: "HTTP/1.0")
        let chunked = try StreamClient(server)
        let lighthouse = try StreamClient(server, query: "?q=lighthouse")
        XCTAssertNil(plain.header("Transfer-Encoding"), "HTTP/1.0 has no chunks: the body ends with the connection")
        var mixed = Self.article("514_mixed", count: 3)
        mixed.updates[1].headline = "Lighthouse keeper returns"
        try Self.publish(mixed, to: server)
        let all = try chunked.next(3)
        XCTAssertEqual(all.map { $0.json?["article"] as? String }, Array(repeating: "514_mixed", count: 3))
        XCTAssertEqual(try plain.next(3), all, "the same events, byte for byte, without the chunk framing")
        XCTAssertEqual(try lighthouse.next()?.json?["headline"] as? String, "Lighthouse keeper returns")
        // Only its share: the next event it gets is the next match, from a later change.
        try Self.publish(Self.article("515_later", count: 1, day: 12, headline: "Lighthouse lamp relit"), to: server)
        XCTAssertEqual(try lighthouse.next()?.json?["headline"] as? String, "Lighthouse lamp relit 0")
        XCTAssertEqual(try plain.next()?.json?["article"] as? String, "515_later")
    }

    func testResumeWithLastEventIDGetsExactlyTheMissedEventsInOrder() throws {
        let server = try start()
        let witness = try StreamClient(server)
        var victim: StreamClient? = try StreamClient(server)
        try Self.publish(Self.article("504_first", count: 1), to: server)
        XCTAssertNotNil(try witness.next())
        XCTAssertNotNil(try victim?.next())
        let resumeFrom = try XCTUnwrap(victim?.lastID)
        victim = nil
        try Self.publish(Self.article("505_missed", count: 2), to: server)
        try Self.publish(Self.article("506_missed", count: 1, day: 20), to: server)
        let missed = try witness.next(3)
        let resumed = try StreamClient(server, headers: ["Last-Event-ID: \(resumeFrom)"])
        XCTAssertEqual(try resumed.next(3), missed)
        XCTAssertTrue(try resumed.isQuiet(for: 0.5), "more than the missed events were replayed")
        // A browser's first connection names the position in the query; the header wins.
        let fromQuery = try StreamClient(server, query: "?last_event_id=\(resumeFrom)")
        XCTAssertEqual(try fromQuery.next(3), missed)
        let headerWins = try StreamClient(server, query: "?last_event_id=\(resumeFrom)", headers: ["Last-Event-ID: \(missed[1].id!)"])
        XCTAssertEqual(try headerWins.next(), missed[2])
        // Live events follow the replay on the same connection.
        try Self.publish(Self.article("507_live", count: 1, day: 25), to: server)
        XCTAssertEqual(try resumed.next()?.json?["article"] as? String, "507_live")
    }

    func testAnIDOlderThanTheHistoryGetsReset() throws {
        let server = try start()
        let stream = try StreamClient(server)
        try Self.publish(Self.article("508_small", count: 1), to: server)
        let first = try XCTUnwrap(try stream.next()?.id)
        // More events than the history keeps (1,000): the first one falls out of it.
        try Self.publish(Self.article("509_large", count: 1100, bodyBytes: 20), to: server)
        let resumed = try StreamClient(server, headers: ["Last-Event-ID: \(first)"])
        let reset = try XCTUnwrap(try resumed.next())
        XCTAssertEqual(reset.type, "reset")
        XCTAssertEqual(reset.json?["reload"] as? String, "/updates")
        XCTAssertNotNil(reset.id)
        let stranger = try StreamClient(server, headers: ["Last-Event-ID: not-one-of-ours"])
        XCTAssertEqual(try stranger.next()?.type, "reset")
    }

    func metrics(of server: LiveblogProcess) throws -> String {
        try server.connect().exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").text
    }

    /// Publishes one round of `count` updates of about 4 KB each (the same article rewritten,
    /// so the corpus stays small), and reads them all, in order, on `reader`.
    func publishRound(_ round: Int, count: Int = 150, to server: LiveblogProcess, readBy reader: StreamClient) throws {
        try Self.publish(Self.article("510_bulk", count: count, headline: "Round \(round)", bodyBytes: 4000), to: server)
        let headlines = try reader.next(count).map { $0.json?["headline"] as? String }
        // Oldest first: the round's updates from its first minute to its last.
        XCTAssertEqual(headlines, (0..<count).map { "Round \(round) \($0)" }, "round \(round) did not all arrive, in order")
    }

    func testAStalledReaderIsClosedWhileANormalOneKeepsReceiving() throws {
        let server = try start()
        let stalled = try StreamClient(server)
        let reader = try StreamClient(server)
        // Rounds of about 600 KB until the server reports the stalled subscriber closed: its
        // socket buffers and its bounded buffer in the server (2 MiB) are full after a few
        // (or, on a machine slow enough, its write timeout passes first); however the kernel
        // sizes the buffers, eight rounds are far more than they hold.
        var rounds = 0
        while try !metrics(of: server).contains("liveblog_stream_stalled_total 1") {
            guard rounds < 8 else { return XCTFail("\(rounds) rounds (about \(rounds * 600) KB) unread, and the stalled subscriber is still open") }
            try publishRound(rounds, to: server, readBy: reader)
            rounds += 1
        }
        XCTAssertTrue(try metrics(of: server).contains("liveblog_stream_subscribers 1"), "the stalled subscriber is still counted")
        // The reader goes on receiving after the other was closed.
        try publishRound(rounds, to: server, readBy: reader)
        // The stalled one was closed: reading now, it finds the end of what was queued, not
        // the events after it overflowed.
        var count = 0
        while try stalled.next() != nil { count += 1 }
        XCTAssertLessThan(count, rounds * 150)
    }

    func testSIGTERMEndsStreamsCleanlyAndExitsZero() throws {
        let server = try start()
        let streams = try (0..<3).map { _ in try StreamClient(server) }
        try Self.publish(Self.article("511_last", count: 1), to: server)
        for stream in streams { XCTAssertNotNil(try stream.next()) }
        let started = Date()
        kill(server.process.processIdentifier, SIGTERM)
        for stream in streams {
            XCTAssertNil(try stream.next(), "an event after SIGTERM")
            XCTAssertTrue(stream.ended, "the stream did not end with the last chunk")
        }
        XCTAssertEqual(try server.stop(), 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 6)
    }

    func testSubscribersAndEventsAreCountedInMetrics() throws {
        let server = try start()
        let stream = try StreamClient(server)
        let metrics = try server.connect().exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").text
        XCTAssertTrue(metrics.contains("liveblog_stream_subscribers 1"), metrics)
        try Self.publish(Self.article("512_counted", count: 2), to: server)
        XCTAssertEqual(try stream.next(2).count, 2)
        let after = try server.connect().exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").text
        XCTAssertTrue(after.contains("liveblog_stream_events_published_total 2"), after)
        XCTAssertTrue(after.contains("liveblog_stream_events_sent_total 2"), after)
    }

    func testOverHTTPSTheSameStreamEndsCleanlyForCurl() throws {
        guard let curl = TestCertificates.which("curl") else { throw Failure("this test needs `curl` on PATH (apt-get install curl)") }
        let certificates = try TestCertificates()
        let pair = try certificates.makeServerCertificate(named: "stream")
        let server = try start(extraArguments: ["--tls-cert", pair.certificate, "--tls-key", pair.key])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = ["--silent", "--show-error", "--no-buffer", "--max-time", "20", "--cacert", certificates.caCertificate,
                             "https://localhost:\(server.port)/stream"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var text = ""
        func read(until marker: String) throws {
            let deadline = Date().addingTimeInterval(10)
            while !text.contains(marker) {
                guard Date() < deadline else { throw Failure("no '\(marker)' from curl within 10 s; got: \(text)") }
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { throw Failure("curl ended before '\(marker)': \(text)") }
                text += String(decoding: data, as: UTF8.self)
            }
        }
        try read(until: "id: ")
        try Self.publish(Self.article("513_secure", count: 1, headline: "Encrypted ferry news"), to: server)
        try read(until: "Encrypted ferry news 0")
        XCTAssertTrue(text.contains("event: update\ndata: {\"id\":\"513_secure/"), text)
        // About 300 KB in one change: more than the socket takes at once, so the TLS writes
        // stop part way and resume where they stopped.
        try Self.publish(Self.article("516_bulk", count: 150, headline: "Bulk over TLS", bodyBytes: 2000), to: server)
        try read(until: "Bulk over TLS 149")
        XCTAssertEqual(text.components(separatedBy: "\"headline\":\"Bulk over TLS ").count - 1, 150, "not every event of the change arrived")
        XCTAssertEqual(try server.stop(), 0)
        process.waitUntilExit()
        // curl's 18 would say the body was cut short; the last chunk makes it a clean end.
        XCTAssertEqual(process.terminationStatus, 0, text)
    }
}
