import Foundation
import Glibc
import XCTest

/// `liveblog healthcheck` reads the settings `serve` reads, so the container's HEALTHCHECK
/// finds the server however the same environment made it listen: HTTPS, IPv6, every address.
final class HealthcheckTests: XCTestCase {
    var folders: [URL] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    func corpus() throws -> URL {
        let folder = try TestCorpus.make(articles: [TestCorpus.article(id: "quay", count: 2)])
        folders.append(folder)
        return folder
    }

    /// Runs `liveblog healthcheck` with exactly `environment` (and PATH), bounded in time.
    func healthcheck(_ environment: [String: String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try LiveblogProcess.locateBinary()
        process.arguments = ["healthcheck"]
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { a, _ in a }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    func testAgainstAnHTTPSServerItExitsZero() throws {
        let certificates = try TestCertificates()
        let pair = try certificates.makeServerCertificate(named: "health")
        let tls = ["LIVEBLOG_TLS_CERT": pair.certificate, "LIVEBLOG_TLS_KEY": pair.key]
        let server = try LiveblogProcess(articles: try corpus(), environment: tls)
        defer { _ = try? server.stop() }
        let settings = tls.merging(["LIVEBLOG_HOST": "127.0.0.1", "LIVEBLOG_PORT": String(server.port)]) { a, _ in a }
        let healthy = try healthcheck(settings)
        XCTAssertEqual(healthy.status, 0, healthy.output)
        XCTAssertTrue(healthy.output.contains("healthy"), healthy.output)
        // Plain HTTP to the HTTPS port is not an answer.
        let plain = try healthcheck(["LIVEBLOG_HOST": "127.0.0.1", "LIVEBLOG_PORT": String(server.port)])
        XCTAssertNotEqual(plain.status, 0, plain.output)
        XCTAssertEqual(try server.stop(), 0)
        XCTAssertNotEqual(try healthcheck(settings).status, 0, "nothing listens any more")
    }

    func testItAsksTheAddressServeListensOn() throws {
        let ipv6 = try LiveblogProcess(articles: try corpus(), host: "::1")
        defer { _ = try? ipv6.stop() }
        let onIPv6 = try healthcheck(["LIVEBLOG_HOST": "::1", "LIVEBLOG_PORT": String(ipv6.port)])
        XCTAssertEqual(onIPv6.status, 0, onIPv6.output)
        let everywhere = try LiveblogProcess(articles: try corpus(), host: "0.0.0.0")
        defer { _ = try? everywhere.stop() }
        let onAny = try healthcheck(["LIVEBLOG_HOST": "0.0.0.0", "LIVEBLOG_PORT": String(everywhere.port)])
        XCTAssertEqual(onAny.status, 0, onAny.output)
        XCTAssertEqual(try ipv6.stop(), 0)
        XCTAssertEqual(try everywhere.stop(), 0)
    }
}
