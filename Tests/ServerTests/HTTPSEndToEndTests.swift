import COpenSSL
import Foundation
import Glibc
import XCTest

/// The built `liveblog` serving HTTPS with a throwaway CA's certificate: every endpoint with
/// `curl --cacert`, old protocols refused, the redirect listener, and a reload on SIGHUP.
final class HTTPSEndToEndTests: XCTestCase {
    var certificates: TestCertificates!
    var live: (certificate: String, key: String)!

    override func setUpWithError() throws {
        certificates = try TestCertificates()
        let pair = try certificates.makeServerCertificate(named: "first")
        live = (certificates.path("live.pem"), certificates.path("live.key"))
        try FileManager.default.copyItem(atPath: pair.certificate, toPath: live.certificate)
        try FileManager.default.copyItem(atPath: pair.key, toPath: live.key)
    }

    override func tearDown() { certificates = nil }

    /// The sample corpus shipped beside the binary: real actors and updates to ask for.
    func sampleCorpus() throws -> URL {
        let folder = try LiveblogProcess.locateBinary().deletingLastPathComponent()
            .appendingPathComponent("liveblog_Server.resources/sample")
        guard FileManager.default.fileExists(atPath: folder.path) else { throw Failure("no sample corpus at \(folder.path)") }
        return folder
    }

    func startHTTPS(extraArguments: [String] = [], environment: [String: String] = [:]) throws -> LiveblogProcess {
        let flags = environment.isEmpty ? ["--tls-cert", live.certificate, "--tls-key", live.key] : []
        return try LiveblogProcess(articles: try sampleCorpus(), extraArguments: flags + extraArguments, environment: environment)
    }

    func curl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let path = TestCertificates.which("curl") else { throw Failure("these tests need `curl` on PATH (apt-get install curl)") }
        return try runTool(path, ["--silent", "--show-error", "--max-time", "10"] + arguments)
    }

    func runTool(_ path: String, _ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `status version` and the body of a GET over HTTPS, checked against the test CA.
    func get(_ server: LiveblogProcess, _ path: String) throws -> (status: String, body: String) {
        let result = try curl(["--cacert", certificates.caCertificate, "--write-out", "\n%{http_code} %{http_version}",
                               "https://localhost:\(server.port)\(path)"])
        XCTAssertEqual(result.status, 0, "curl \(path): \(result.output)")
        guard let newline = result.output.lastIndex(of: "\n") else { throw Failure("no status from curl: \(result.output)") }
        return (String(result.output[result.output.index(after: newline)...]), String(result.output[..<newline]))
    }

    func testEveryEndpointAnswersOverHTTPSWithTheTestCA() throws {
        let server = try startHTTPS()
        defer { _ = try? server.stop() }

        let updates = try get(server, "/updates?limit=2")
        XCTAssertEqual(updates.status, "200 1.1")
        let page = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(updates.body.utf8)) as? [String: Any])
        let first = try XCTUnwrap((page["updates"] as? [[String: Any]])?.first)
        let time = try XCTUnwrap(first["time"] as? String)
        XCTAssertEqual(try get(server, "/updates/\(time)").status, "200 1.1")
        XCTAssertEqual(try get(server, "/updates/1970-01-01").status, "404 1.1")
        XCTAssertEqual(try get(server, "/updates/not-a-time").status, "400 1.1")

        let actors = try get(server, "/actors?limit=1")
        XCTAssertEqual(actors.status, "200 1.1")
        let actorPage = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(actors.body.utf8)) as? [String: Any])
        let actorID = try XCTUnwrap((actorPage["actors"] as? [[String: Any]])?.first?["id"] as? String)
        let actor = try get(server, "/actors/\(actorID)")
        XCTAssertEqual(actor.status, "200 1.1")
        XCTAssertTrue(actor.body.contains("\"id\":\"\(actorID)\""), actor.body)
        XCTAssertEqual(try get(server, "/actors/no-such-actor-here").status, "404 1.1")

        XCTAssertEqual(try get(server, "/healthz").status, "200 1.1")
        let ready = try get(server, "/readyz")
        XCTAssertEqual(ready.status, "200 1.1")
        let metrics = try get(server, "/metrics")
        XCTAssertEqual(metrics.status, "200 1.1")
        XCTAssertTrue(metrics.body.contains("# TYPE"), "Prometheus text expected")
        let spec = try get(server, "/openapi.yaml")
        XCTAssertEqual(spec.status, "200 1.1")
        XCTAssertTrue(spec.body.hasPrefix("openapi:"), String(spec.body.prefix(40)))
    }

    func testCurlNegotiatesTLS13AndHTTP11AndRefusesAnUnknownCA() throws {
        let server = try startHTTPS()
        defer { _ = try? server.stop() }
        let verbose = try curl(["--verbose", "--cacert", certificates.caCertificate, "-o", "/dev/null",
                                "https://localhost:\(server.port)/healthz"])
        XCTAssertEqual(verbose.status, 0, verbose.output)
        XCTAssertTrue(verbose.output.contains("TLSv1.3"), verbose.output)
        XCTAssertTrue(verbose.output.contains("ALPN: server accepted http/1.1") || verbose.output.contains("ALPN, server accepted to use http/1.1"),
                      verbose.output)
        // Without the test CA, curl must not trust the certificate.
        let untrusted = try curl(["-o", "/dev/null", "https://localhost:\(server.port)/healthz"])
        XCTAssertNotEqual(untrusted.status, 0)
    }

    func testAnOldProtocolClientIsRefused() throws {
        guard let openssl = TestCertificates.which("openssl") else { throw Failure("`openssl` is not on PATH") }
        let server = try startHTTPS()
        defer { _ = try? server.stop() }
        let address = "127.0.0.1:\(server.port)"
        // OpenSSL 3 offers TLS 1.1 only at security level 0; the refusal must be the server's.
        let old = try runTool(openssl, ["s_client", "-connect", address, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"])
        XCTAssertNotEqual(old.status, 0, old.output)
        XCTAssertTrue(old.output.contains("alert protocol version"), old.output)
        for flag in ["-tls1", "-ssl3"] {
            let older = try runTool(openssl, ["s_client", "-connect", address, flag, "-cipher", "DEFAULT:@SECLEVEL=0"])
            XCTAssertNotEqual(older.status, 0, "\(flag): \(older.output)")
        }
        // The same client at TLS 1.2 is served.
        let current = try runTool(openssl, ["s_client", "-connect", address, "-tls1_2", "-CAfile", certificates.caCertificate,
                                            "-servername", "localhost"])
        XCTAssertTrue(current.output.contains("Protocol  : TLSv1.2"), current.output)
        XCTAssertTrue(current.output.contains("Verify return code: 0 (ok)"), current.output)
    }

    func testTheEnvironmentTurnsHTTPSOn() throws {
        let server = try startHTTPS(environment: ["LIVEBLOG_TLS_CERT": live.certificate, "LIVEBLOG_TLS_KEY": live.key])
        defer { _ = try? server.stop() }
        XCTAssertEqual(try get(server, "/healthz").status, "200 1.1")
    }

    func testTheRedirectListenerSendsEveryRequestToHTTPS() throws {
        let server = try startHTTPS(extraArguments: ["--redirect-http", "0"])
        defer { _ = try? server.stop() }
        let port = try XCTUnwrap(waitForRedirectPort(server))
        let redirected = try curl(["--include", "http://127.0.0.1:\(port)/updates?limit=1", "-H", "Host: localhost:\(port)"])
        XCTAssertTrue(redirected.output.hasPrefix("HTTP/1.1 308"), redirected.output)
        XCTAssertTrue(redirected.output.contains("Location: https://localhost:\(server.port)/updates?limit=1\r\n"), redirected.output)
        // A Host that is not a host name is refused, not echoed into a Location.
        let evil = try curl(["--include", "http://127.0.0.1:\(port)/x", "-H", "Host: evil.example/path"])
        XCTAssertTrue(evil.output.hasPrefix("HTTP/1.1 400"), evil.output)
        XCTAssertFalse(evil.output.contains("Location"), evil.output)
        // Followed, the redirect lands on the HTTPS listener.
        let followed = try curl(["--location", "--cacert", certificates.caCertificate, "--write-out", "\n%{http_code} %{url_effective}",
                                 "http://localhost:\(port)/healthz"])
        XCTAssertTrue(followed.output.hasSuffix("200 https://localhost:\(server.port)/healthz"), followed.output)
    }

    func waitForRedirectPort(_ server: LiveblogProcess) throws -> Int? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let range = server.stderr.range(of: "redirecting http://127.0.0.1:") {
                return Int(server.stderr[range.upperBound...].prefix { $0.isNumber })
            }
            usleep(50_000)
        }
        return nil
    }

    func testABadPairAtStartStopsWithTheFileNamed() throws {
        let binary = try LiveblogProcess.locateBinary()
        let missing = certificates.path("missing.pem")
        let mismatched = try certificates.makeServerCertificate(named: "other")
        for (certificate, key, expected) in [(missing, live.key, "'\(missing)': no such file"),
                                             (live.certificate, mismatched.key, "'\(mismatched.key)' does not belong to the certificate")] {
            let result = try runTool(binary.path, ["serve", "--articles", try sampleCorpus().path, "--port", "0",
                                                   "--tls-cert", certificate, "--tls-key", key])
            XCTAssertNotEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains(expected), result.output)
            XCTAssertFalse(result.output.contains("listening on"), result.output)
        }
    }

    func testHalfATLSConfigurationIsRefused() throws {
        let binary = try LiveblogProcess.locateBinary().path
        let articles = try sampleCorpus().path
        for (arguments, expected) in [(["--tls-cert", live.certificate], "--tls-cert needs --tls-key"),
                                      (["--tls-key", live.key], "--tls-key needs --tls-cert"),
                                      (["--redirect-http", "0"], "--redirect-http needs HTTPS")] {
            let result = try runTool(binary, ["serve", "--articles", articles, "--port", "0"] + arguments)
            XCTAssertNotEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains(expected), result.output)
        }
    }

    func testSIGHUPServesTheNewCertificateWhileAnOpenConnectionGoesOn() throws {
        let server = try startHTTPS()
        defer { _ = try? server.stop() }
        let firstFingerprint = try certificates.fingerprint(of: live.certificate)

        let before = try HTTPSClient(port: server.port, caFile: certificates.caCertificate)
        XCTAssertEqual(before.fingerprint, firstFingerprint)
        XCTAssertEqual(try before.get("/healthz"), 200)

        // Renew: a new pair in the same files, then SIGHUP.
        let renewed = try certificates.makeServerCertificate(named: "renewed")
        for (source, target) in [(renewed.certificate, live.certificate), (renewed.key, live.key)] {
            try FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target)
        }
        kill(server.process.processIdentifier, SIGHUP)
        try waitFor(server, "reloaded TLS certificate")

        let after = try HTTPSClient(port: server.port, caFile: certificates.caCertificate)
        XCTAssertEqual(after.fingerprint, try certificates.fingerprint(of: renewed.certificate))
        XCTAssertNotEqual(after.fingerprint, firstFingerprint)
        XCTAssertEqual(try after.get("/readyz"), 200)
        // The connection made before the reload still answers, on its old session.
        XCTAssertEqual(try before.get("/updates?limit=1"), 200)
        XCTAssertEqual(before.fingerprint, firstFingerprint)

        // A broken renewal is reported and the pair in use stays.
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: live.key))
        kill(server.process.processIdentifier, SIGHUP)
        try waitFor(server, "still serving the certificate loaded before")
        XCTAssertTrue(server.stderr.contains(live.key), server.stderr)
        let third = try HTTPSClient(port: server.port, caFile: certificates.caCertificate)
        XCTAssertEqual(third.fingerprint, after.fingerprint)
        XCTAssertEqual(try third.get("/healthz"), 200)
    }

    func testAClientThatNeverFinishesItsHandshakeIsDropped() throws {
        let server = try startHTTPS()
        defer { _ = try? server.stop() }
        let silent = try RawClient(host: "127.0.0.1", port: server.port)
        try silent.send(Array([0x16, 0x03, 0x01]))   // the first bytes of a ClientHello, then nothing
        let started = Date()
        var closed = false
        while !closed && Date().timeIntervalSince(started) < 20 {
            var poll = pollfd(fd: silent.fd, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&poll, 1, 500) > 0 else { continue }
            var byte: UInt8 = 0
            closed = Glibc.recv(silent.fd, &byte, 1, 0) <= 0
        }
        XCTAssertTrue(closed, "the half-started handshake should be dropped")
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, "within the 10 s a request head gets, not the idle minute")
        // Meanwhile, and after, others are served.
        XCTAssertEqual(try get(server, "/healthz").status, "200 1.1")
    }

    /// More pipelined requests in one burst than one read takes, over TLS: every one answered,
    /// in spite of reading pausing for back-pressure on the way.
    func testTwoThousandPipelinedRequestsInOneBurstAreAllAnswered() throws {
        let server = try startHTTPS()
        defer { _ = try? server.stop() }
        let client = try HTTPSClient(port: server.port, caFile: certificates.caCertificate)
        let count = 2000
        let burst = Array(String(repeating: "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", count: count).utf8)
        XCTAssertGreaterThan(burst.count, 64 * 1024, "the burst must exceed the engine's read buffer")
        var written = 0
        XCTAssertEqual(SSL_write_ex(client.tls.session, burst, burst.count, &written), 1)
        var answered = 0
        for _ in 0..<count {
            guard (try? client.readStatus()) == 200 else { break }
            answered += 1
        }
        XCTAssertEqual(answered, count)
    }

    func waitFor(_ server: LiveblogProcess, _ text: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if server.stderr.contains(text) { return }
            usleep(50_000)
        }
        throw Failure("'\(text)' not on standard error within 10 s: \(server.stderr)")
    }
}

/// A blocking HTTPS client on one keep-alive connection (every wait bounded by the socket's
/// receive timeout), verifying the server against the test CA.
final class HTTPSClient {
    let socket: RawClient
    let tls: TestTLSClient
    private var inbound: [UInt8] = []

    init(port: UInt16, caFile: String) throws {
        socket = try RawClient(host: "127.0.0.1", port: port)
        var options = TestTLSClient.Options()
        options.caFile = caFile
        tls = try TestTLSClient(fileDescriptor: socket.fd, options: options)
        let step = tls.handshakeStep()
        guard step == .done else { throw Failure("handshake: \(step)") }
    }

    var fingerprint: String? { tls.peerFingerprint }

    /// Sends a keep-alive GET and returns the status of the response, read by its length.
    func get(_ path: String) throws -> Int {
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        var written = 0
        guard SSL_write_ex(tls.session, request, request.count, &written) == 1 else { throw Failure("write failed") }
        return try readStatus()
    }

    /// Reads one response (framed by Content-Length) and returns its status.
    func readStatus() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let end = inbound.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound {
                let head = String(decoding: inbound[..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if inbound.count >= end + length {
                    inbound.removeFirst(end + length)
                    guard let status = Int(head.split(separator: " ")[1]) else { throw Failure("bad status line: \(head)") }
                    return status
                }
            }
            var got = 0
            guard SSL_read_ex(tls.session, &chunk, chunk.count, &got) == 1 else {
                throw Failure("read failed: \(tls.step(0))")
            }
            inbound += chunk[0..<got]
        }
    }
}
