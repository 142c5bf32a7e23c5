import COpenSSL
import Foundation
import Glibc
import XCTest
@testable import Server

/// TLSTransport on one end of a socket pair, an OpenSSL client driven step by step on the
/// other: the handshake, the policy it enforces, and data both ways under back-pressure.
final class TLSTransportTests: XCTestCase {
    var certificates: TestCertificates!
    var store: TLSContextStore!

    override func setUpWithError() throws {
        certificates = try TestCertificates()
        let pair = try certificates.makeServerCertificate(named: "server")
        store = try TLSContextStore(configuration: TLSConfiguration(certificatePath: pair.certificate, privateKeyPath: pair.key))
    }

    override func tearDown() {
        store = nil
        certificates = nil
    }

    struct Pair {
        let server: TLSTransport
        let client: TestTLSClient
    }

    func makePair(_ options: TestTLSClient.Options? = nil, sendBufferBytes: Int32? = nil) throws -> Pair {
        let fds = try makeSocketPair(sendBufferBytes: sendBufferBytes)
        var options = options ?? TestTLSClient.Options()
        if options.caFile == nil { options.caFile = certificates.caCertificate }
        let server = try XCTUnwrap(store.makeTransport(fileDescriptor: fds.server) as? TLSTransport)
        let client = try TestTLSClient(fileDescriptor: fds.client, options: options)
        addTeardownBlock {
            server.close()
            Glibc.close(fds.client)
        }
        return Pair(server: server, client: client)
    }

    /// Steps both ends until both are done or one fails (bounded: a handshake is a few
    /// round trips).
    func handshake(_ pair: Pair) -> (server: TransportStatus, client: TestTLSClient.Step) {
        var server = TransportStatus.wantRead
        var client = TestTLSClient.Step.wantRead
        for _ in 0..<50 {
            if client != .done { client = pair.client.handshakeStep() }
            if server != .done(0) { server = pair.server.handshake() }
            if case .failed = server { client = pair.client.handshakeStep(); break }
            if case .failed = client { server = pair.server.handshake(); break }
            if server == .done(0) && client == .done { break }
        }
        return (server, client)
    }

    func testAHandshakeNegotiatesTLS13AndHTTP11() throws {
        let pair = try makePair()
        let result = handshake(pair)
        XCTAssertEqual(result.server, .done(0))
        XCTAssertEqual(result.client, .done)
        XCTAssertEqual(pair.client.version, "TLSv1.3")
        XCTAssertEqual(pair.client.applicationProtocol, "http/1.1")
        XCTAssertEqual(pair.server.negotiated?.version, "TLSv1.3")
        XCTAssertEqual(pair.server.negotiated?.applicationProtocol, "http/1.1")
        XCTAssertEqual(pair.client.peerFingerprint, store.context.fingerprint)
    }

    func testATLS12ClientGetsAnECDHEAEADSuite() throws {
        var options = TestTLSClient.Options()
        options.maximumVersion = TLS1_2_VERSION
        let pair = try makePair(options)
        let result = handshake(pair)
        XCTAssertEqual(result.server, .done(0))
        XCTAssertEqual(pair.client.version, "TLSv1.2")
        XCTAssertTrue(pair.client.cipher.hasPrefix("ECDHE-ECDSA-"), pair.client.cipher)
        XCTAssertTrue(pair.client.cipher.contains("GCM") || pair.client.cipher.contains("CHACHA20"), pair.client.cipher)
    }

    func testATLS12ClientOfferingOnlyCBCOrRSAKeyExchangeIsRefused() throws {
        for suites in ["ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA", "AES128-GCM-SHA256:AES256-GCM-SHA384"] {
            var options = TestTLSClient.Options()
            options.maximumVersion = TLS1_2_VERSION
            options.ciphers = suites
            let pair = try makePair(options)
            let result = handshake(pair)
            guard case .failed(let reason) = result.server else { return XCTFail("\(suites): server said \(result.server)") }
            XCTAssertTrue(reason.contains("no shared cipher"), reason)
        }
    }

    func testATLS11ClientIsRefused() throws {
        var options = TestTLSClient.Options()
        options.minimumVersion = TLS1_1_VERSION
        options.maximumVersion = TLS1_1_VERSION
        options.securityLevel = 0
        options.ciphers = "DEFAULT:@SECLEVEL=0"
        let pair = try makePair(options)
        let result = handshake(pair)
        guard case .failed(let reason) = result.server else { return XCTFail("server said \(result.server)") }
        XCTAssertTrue(reason.contains("unsupported protocol"), reason)
        guard case .failed(let clientReason) = result.client else { return XCTFail("client said \(result.client)") }
        XCTAssertTrue(clientReason.contains("protocol version"), clientReason)
    }

    func testAClientOfferingOnlyH2GetsNoApplicationProtocolAlert() throws {
        var options = TestTLSClient.Options()
        options.applicationProtocols = ["h2"]
        let pair = try makePair(options)
        let result = handshake(pair)
        guard case .failed = result.server else { return XCTFail("server said \(result.server)") }
        guard case .failed(let reason) = result.client else { return XCTFail("client said \(result.client)") }
        XCTAssertTrue(reason.contains("no application protocol"), reason)
    }

    func testAClientWithoutALPNOrPreferringH2IsServed() throws {
        var silent = TestTLSClient.Options()
        silent.applicationProtocols = []
        let plain = try makePair(silent)
        XCTAssertEqual(handshake(plain).server, .done(0))
        XCTAssertNil(plain.client.applicationProtocol)

        var both = TestTLSClient.Options()
        both.applicationProtocols = ["h2", "http/1.1"]
        let preferring = try makePair(both)
        XCTAssertEqual(handshake(preferring).server, .done(0))
        XCTAssertEqual(preferring.client.applicationProtocol, "http/1.1")
    }

    func testASecondConnectionResumesTheSession() throws {
        let first = try makePair()
        XCTAssertEqual(handshake(first).server, .done(0))
        // TLS 1.3 tickets arrive after the handshake: read once to take them in.
        var byte: UInt8 = 0
        var count = 0
        _ = SSL_read_ex(first.client.session, &byte, 1, &count)
        ERR_clear_error()
        let saved = try XCTUnwrap(first.client.copySession())
        defer { SSL_SESSION_free(saved) }
        var options = TestTLSClient.Options()
        options.resuming = saved
        let second = try makePair(options)
        XCTAssertEqual(handshake(second).server, .done(0))
        XCTAssertTrue(second.client.reused, "the ticket from the first connection should resume the second")
    }

    func testRequestAndResponseTravelBothWays() throws {
        let pair = try makePair()
        XCTAssertEqual(handshake(pair).server, .done(0))
        let request = Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        var written = 0
        XCTAssertEqual(SSL_write_ex(pair.client.session, request, request.count, &written), 1)

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        guard case .done(let count) = pair.server.read(into: buffer) else { return XCTFail("no request read") }
        XCTAssertEqual(Array(buffer[0..<count]), request)
        XCTAssertEqual(pair.server.read(into: buffer), .wantRead)

        // A response in three buffers, as the engine writes it: head, date line, body.
        let parts = ["HTTP/1.1 200 OK\r\nContent-Length: 3\r\n", "Date: Tue, 24 Nov 2026 21:00:00 GMT\r\n\r\n", "ok\n"].map { Array($0.utf8) }
        let status = withBuffers(parts) { pair.server.write($0) }
        XCTAssertEqual(status, .done(parts.reduce(0) { $0 + $1.count }))
        var received = [UInt8](repeating: 0, count: 1024)
        var got = 0
        XCTAssertEqual(SSL_read_ex(pair.client.session, &received, received.count, &got), 1)
        XCTAssertEqual(Array(received[0..<got]), parts.flatMap { $0 }, "the three buffers should arrive as one record")
    }

    /// A reader slower than the writer: writes block (want-write) and are retried by the
    /// caller from the same position, as the event loop does; every byte arrives in order.
    func testABlockedWriteIsRetriedFromTheSamePosition() throws {
        let pair = try makePair(sendBufferBytes: 4096)
        XCTAssertEqual(handshake(pair).server, .done(0))
        // 1 MB of numbered bytes, offered as a small head and many pieces of odd sizes.
        let payload = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        var pieces: [[UInt8]] = [Array(payload[0..<37])]
        var start = 37
        var size = 1000
        while start < payload.count {
            let end = min(payload.count, start + size)
            pieces.append(Array(payload[start..<end]))
            start = end
            size = size * 3 % 70_001 + 1
        }
        var offset = 0      // bytes of `payload` the transport has accepted
        var received: [UInt8] = []
        var blocked = 0
        var chunk = [UInt8](repeating: 0, count: 8192)
        for _ in 0..<100_000 where received.count < payload.count {
            if offset < payload.count {
                // The unwritten rest, as the loop would offer it: the current piece from its
                // offset onwards, then the following pieces.
                let status = withBuffers(remaining(of: pieces, from: offset)) { pair.server.write($0) }
                switch status {
                case .done(let count): offset += count
                case .wantWrite: blocked += 1
                default: return XCTFail("write said \(status)")
                }
            }
            // The client reads a little at a time.
            var got = 0
            if SSL_read_ex(pair.client.session, &chunk, Int.random(in: 1...chunk.count), &got) == 1 {
                received += chunk[0..<got]
            } else {
                ERR_clear_error()
            }
        }
        XCTAssertGreaterThan(blocked, 0, "the test should have made writes block")
        XCTAssertEqual(received.count, payload.count)
        XCTAssertTrue(received == payload, "the bytes must arrive in order, none twice, none lost")
    }

    /// Records OpenSSL has taken off the socket but not yet handed over are invisible to
    /// epoll; `hasBufferedInput` is how the loop knows to read again.
    func testInputHeldInsideOpenSSLIsReportedAsBuffered() throws {
        let pair = try makePair()
        XCTAssertEqual(handshake(pair).server, .done(0))
        let message = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        for start in stride(from: 0, to: message.count, by: 10_000) {
            var written = 0
            XCTAssertEqual(SSL_write_ex(pair.client.session, Array(message[start..<start + 10_000]), 10_000, &written), 1)
        }
        let small = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { small.deallocate() }
        var received: [UInt8] = []
        var hiddenFromPoll = 0
        for _ in 0..<100 where received.count < message.count {
            var poll = pollfd(fd: pair.server.fileDescriptor, events: Int16(POLLIN), revents: 0)
            let socketReadable = Glibc.poll(&poll, 1, 0) > 0
            if pair.server.hasBufferedInput && !socketReadable { hiddenFromPoll += 1 }
            guard socketReadable || pair.server.hasBufferedInput else { break }
            guard case .done(let count) = pair.server.read(into: small) else { continue }
            received += small[0..<count]
        }
        XCTAssertEqual(received, message, "every byte, in order, with reads driven by poll and hasBufferedInput alone")
        XCTAssertGreaterThan(hiddenFromPoll, 0, "some input should have been held where poll cannot see it")
        XCTAssertFalse(pair.server.hasBufferedInput)
    }

    func testShutdownSendsCloseNotify() throws {
        let pair = try makePair()
        XCTAssertEqual(handshake(pair).server, .done(0))
        pair.server.shutdown()
        var byte: UInt8 = 0
        var count = 0
        let step = pair.client.step(SSL_read_ex(pair.client.session, &byte, 1, &count))
        XCTAssertEqual(step, .closed, "the client should read close_notify, not a bare EOF")
    }

    func testTheClientsCloseNotifyReadsAsClosed() throws {
        let pair = try makePair()
        XCTAssertEqual(handshake(pair).server, .done(0))
        _ = SSL_shutdown(pair.client.session)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 16)
        defer { buffer.deallocate() }
        var status = pair.server.read(into: buffer)
        for _ in 0..<5 where status == .wantRead { status = pair.server.read(into: buffer) }
        XCTAssertEqual(status, .closed)
    }

    func testGarbageInsteadOfAClientHelloFailsTheHandshake() throws {
        let fds = try makeSocketPair()
        let server = store.makeTransport(fileDescriptor: fds.server)
        defer { server.close(); Glibc.close(fds.client) }
        let garbage = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        XCTAssertEqual(Glibc.write(fds.client, garbage, garbage.count), garbage.count)
        guard case .failed = server.handshake() else { return XCTFail("plain HTTP on the TLS port must fail the handshake") }
    }

    func testAReloadServesTheNewCertificateToNewConnectionsOnly() throws {
        let before = try makePair()
        XCTAssertEqual(handshake(before).server, .done(0))
        let oldFingerprint = store.context.fingerprint

        let second = try certificates.makeServerCertificate(named: "renewed")
        let renewed = try TLSContextStore(configuration: TLSConfiguration(certificatePath: second.certificate, privateKeyPath: second.key))
        store = renewed
        let after = try makePair()
        XCTAssertEqual(handshake(after).server, .done(0))
        XCTAssertEqual(after.client.peerFingerprint, try certificates.fingerprint(of: second.certificate))
        XCTAssertNotEqual(after.client.peerFingerprint, oldFingerprint)

        // The connection made before goes on with its own context.
        let message = Array("still here".utf8)
        XCTAssertEqual(withBuffers([message]) { before.server.write($0) }, .done(message.count))
        var received = [UInt8](repeating: 0, count: 64)
        var got = 0
        XCTAssertEqual(SSL_read_ex(before.client.session, &received, received.count, &got), 1)
        XCTAssertEqual(Array(received[0..<got]), message)
    }
}

/// The buffers from stream position `offset` on, as the event loop offers unwritten output.
func remaining(of pieces: [[UInt8]], from offset: Int) -> [[UInt8]] {
    var skip = offset
    var result: [[UInt8]] = []
    for piece in pieces {
        if skip >= piece.count { skip -= piece.count; continue }
        result.append(skip > 0 ? Array(piece[skip...]) : piece)
        skip = 0
        if result.count == 64 { break }
    }
    return result
}

/// Calls `body` with raw views of `arrays`, valid for the call.
func withBuffers<T>(_ arrays: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) -> T) -> T {
    let copies = arrays.map { array -> UnsafeMutableRawBufferPointer in
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(array.count, 1), alignment: 1)
        array.withUnsafeBytes { copy.copyMemory(from: $0) }
        return copy
    }
    defer { copies.forEach { $0.deallocate() } }
    return body(zip(copies, arrays).map { UnsafeRawBufferPointer(rebasing: $0[0..<$1.count]) })
}

final class ALPNTests: XCTestCase {
    func wire(_ names: [String]) -> [UInt8] { names.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } }

    func chosen(_ offer: [UInt8]) -> String? {
        offer.withUnsafeBytes { bytes in ALPN.select(from: bytes).map { String(decoding: bytes[$0], as: UTF8.self) } }
    }

    func testHTTP11IsPreferredWhereverTheClientListsIt() {
        XCTAssertEqual(chosen(wire(["h2", "http/1.1"])), "http/1.1")
        XCTAssertEqual(chosen(wire(["http/1.0", "http/1.1"])), "http/1.1")
        XCTAssertEqual(chosen(wire(["http/1.0"])), "http/1.0")
    }

    func testNothingWeSpeakOrAMalformedListSelectsNothing() {
        XCTAssertNil(chosen(wire(["h2"])))
        XCTAssertNil(chosen(wire(["h3", "spdy/3"])))
        XCTAssertNil(chosen([8] + Array("http/1.".utf8)), "a length past the end")
        XCTAssertNil(chosen([0] + wire(["http/1.1"])), "an empty name")
        XCTAssertNil(chosen([]))
    }
}
