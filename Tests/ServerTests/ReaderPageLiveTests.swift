import Foundation
import Glibc
import XCTest

/// The reader page at `/` in a real browser: an article written to the folder after the
/// page loaded appears on it, through the page's own `EventSource` on `/stream`.
final class ReaderPageLiveTests: XCTestCase {
    func testTheReaderPageShowsAnUpdateWrittenAfterItLoaded() throws {
        guard TestCertificates.which("chromium") != nil else {
            throw Failure("this test needs Chromium: run scripts/require --test (apt-get install chromium)")
        }
        guard let python = TestCertificates.which("python3") else { throw Failure("this test needs python3 on PATH") }
        let server = try LiveblogProcess(articles: try TestCorpus.make(articles: [StreamEndToEndTests.article("530_before", count: 2)]))
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: python)
        var arguments = ["-c", StreamBrowserTests.driver, "http://127.0.0.1:\(server.port)/", "Harbour pilots return 0", "30",
                         "document.getElementById('live') ? document.getElementById('live').dataset.state : ''",
                         "Array.from(document.querySelectorAll('#updates h2')).map(h => h.textContent)"]
        // LIVEBLOG_SCREENSHOT=path keeps a picture of the page with the live update, for the docs.
        if let path = ProcessInfo.processInfo.environment["LIVEBLOG_SCREENSHOT"] { arguments.append(path) }
        browser.arguments = arguments
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        defer { if browser.isRunning { browser.terminate() } }
        var text = ""
        while !text.contains("open\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw Failure("the reader page never went live: \(text)") }
            text += String(decoding: data, as: UTF8.self)
        }
        try StreamEndToEndTests.publish(StreamEndToEndTests.article("531_after", count: 1, day: 11, headline: "Harbour pilots return"), to: server)
        text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        XCTAssertEqual(browser.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("shown: [\"Harbour pilots return 0\""), "the new update is shown first: \(text)")
        XCTAssertEqual(try server.stop(), 0)
    }
}
