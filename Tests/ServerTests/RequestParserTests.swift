import XCTest
@testable import HTTPParsing
@testable import Server

/// The parser on its own: requests fed whole, byte by byte, and in pieces, every limit and
/// every malformed shape the engine must refuse.
final class RequestParserTests: XCTestCase {
    /// What the parser made of one request, with its byte ranges turned into text.
    struct Parsed: Equatable {
        var method: String
        var target: String
        var minorVersion: Int
        var headers: [String]
        var keepAlive: Bool
        var body: RequestParser.Body
        var consumed: Int
    }

    enum Outcome: Equatable {
        case request(Parsed)
        case awaitingBody
        case failure(status: Int)
    }

    /// Feeds `chunks` the way a connection does: bytes accumulate until a request is
    /// complete, then its bytes are dropped and parsing goes on with the rest.
    func feed(_ chunks: [[UInt8]]) -> (outcomes: [Outcome], leftover: Int) {
        var parser = RequestParser()
        var pending: [UInt8] = []
        var outcomes: [Outcome] = []
        for chunk in chunks {
            pending += chunk
            parsing: while !pending.isEmpty {
                let result = pending.withUnsafeBytes { parser.parse($0) }
                switch result {
                case .incomplete:
                    break parsing
                case .awaitingBody:
                    if outcomes.last != .awaitingBody { outcomes.append(.awaitingBody) }
                    break parsing
                case .failure(let error):
                    outcomes.append(.failure(status: error.status))
                    return (outcomes, 0)
                case .request(let head, let consumed):
                    let text = { (span: Range<Int>) in String(decoding: pending[span], as: UTF8.self) }
                    outcomes.append(.request(Parsed(
                        method: text(head.method), target: text(head.target), minorVersion: head.minorVersion,
                        headers: pending.withUnsafeBytes { RequestParser.fields(of: head, in: $0) }
                            .map { "\(text($0.name)): \(text($0.value))" },
                        keepAlive: head.keepAlive, body: head.body, consumed: consumed)))
                    pending.removeFirst(consumed)
                }
            }
        }
        return (outcomes, pending.count)
    }

    func whole(_ text: String) -> [Outcome] { feed([Array(text.utf8)]).outcomes }
    func byteByByte(_ text: String) -> [Outcome] { feed(Array(text.utf8).map { [$0] }).outcomes }
    func status(_ text: String) -> Int? {
        if case .failure(let status)? = whole(text).last { return status }
        return nil
    }

    // MARK: - Well-formed requests

    func testSimpleGetWholeAndByteByByteAgree() {
        let request = "GET /updates?limit=5 HTTP/1.1\r\nHost: example.org\r\nAccept: application/json\r\n\r\n"
        let expected = Outcome.request(Parsed(method: "GET", target: "/updates?limit=5", minorVersion: 1,
                                              headers: ["Host: example.org", "Accept: application/json"],
                                              keepAlive: true, body: .none, consumed: request.utf8.count))
        XCTAssertEqual(whole(request), [expected])
        XCTAssertEqual(byteByByte(request), [expected])
    }

    func testIncompleteHeadWaitsForMore() {
        let (outcomes, leftover) = feed([Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)])
        XCTAssertEqual(outcomes, [])
        XCTAssertEqual(leftover, 25)
    }

    func testPipelinedRequestsComeOutInOrder() {
        let text = "GET /first HTTP/1.1\r\nHost: a\r\n\r\nHEAD /second HTTP/1.1\r\nHost: a\r\n\r\nGET /third HTTP/1.1\r\nHost: a\r\n\r\n"
        for outcomes in [whole(text), byteByByte(text), feed([Array(text.utf8.prefix(40)), Array(text.utf8.dropFirst(40))]).outcomes] {
            let targets = outcomes.compactMap { outcome -> String? in
                if case .request(let parsed) = outcome { return parsed.method + " " + parsed.target }
                return nil
            }
            XCTAssertEqual(targets, ["GET /first", "HEAD /second", "GET /third"])
        }
    }

    func testHeaderValuesLoseSurroundingWhitespaceOnly() {
        guard case .request(let parsed)? = whole("GET / HTTP/1.1\r\nHost:   a \t\r\nX-Note:  a b \r\nX-Empty:\r\n\r\n").first else {
            return XCTFail("no request")
        }
        XCTAssertEqual(parsed.headers, ["Host: a", "X-Note: a b", "X-Empty: "])
    }

    func testLeadingEmptyLinesAreIgnored() {
        guard case .request(let parsed)? = whole("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n").first else {
            return XCTFail("no request")
        }
        XCTAssertEqual(parsed.target, "/x")
    }

    func testKeepAliveRulesOfEachVersion() {
        func keepAlive(_ text: String) -> Bool? {
            if case .request(let parsed)? = whole(text).first { return parsed.keepAlive }
            return nil
        }
        XCTAssertEqual(keepAlive("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), true)
        XCTAssertEqual(keepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), false)
        XCTAssertEqual(keepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n"), false)
        XCTAssertEqual(keepAlive("GET / HTTP/1.0\r\n\r\n"), false)
        XCTAssertEqual(keepAlive("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), true)
    }

    func testHTTP10NeedsNoHost() {
        guard case .request(let parsed)? = whole("GET /old HTTP/1.0\r\n\r\n").first else { return XCTFail("no request") }
        XCTAssertEqual(parsed.minorVersion, 0)
    }

    // MARK: - Bodies

    func testContentLengthBodyIsConsumedWithTheRequest() {
        let text = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\nHost: a\r\n\r\n"
        for outcomes in [whole(text), byteByByte(text)] {
            XCTAssertEqual(outcomes.count, 2)
            guard case .request(let first) = outcomes[0], case .request(let second) = outcomes[1] else {
                return XCTFail("expected two requests, got \(outcomes)")
            }
            XCTAssertEqual(first.body, .length(5))
            XCTAssertEqual(first.consumed, text.utf8.count - "GET /next HTTP/1.1\r\nHost: a\r\n\r\n".utf8.count)
            XCTAssertEqual(second.target, "/next")
        }
    }

    func testChunkedBodyWithExtensionAndTrailerByteByByte() {
        let body = "5;note=x\r\nhello\r\n6\r\n world\r\n0\r\nX-Check: 1\r\n\r\n"
        let text = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n"
        for outcomes in [whole(text), byteByByte(text)] {
            let targets = outcomes.compactMap { outcome -> String? in
                if case .request(let parsed) = outcome { return parsed.target }
                return nil
            }
            XCTAssertEqual(targets, ["/x", "/after"], "\(outcomes)")
        }
    }

    func testChunkedBodyPastTheLimitIs413() {
        let size = String(HTTPLimits.maximumBodyBytes + 1, radix: 16)
        XCTAssertEqual(status("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\n"), 413)
    }

    func testMalformedChunkSizeIs400() {
        XCTAssertEqual(status("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"), 400)
        XCTAssertEqual(status("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n"), 400)
    }

    func testExpectContinueWaitsForTheBody() {
        let head = "PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
        XCTAssertEqual(whole(head), [.awaitingBody])
        let outcomes = feed([Array(head.utf8), Array("abc".utf8)]).outcomes
        XCTAssertEqual(outcomes.count, 2)
        guard case .request(let parsed) = outcomes[1] else { return XCTFail("no request after the body") }
        XCTAssertEqual(parsed.body, .length(3))
    }

    func testUnknownExpectationIs417() {
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n"), 417)
    }

    // MARK: - Limits

    func testRequestLinePastTheLimitIs414() {
        let long = "GET /" + String(repeating: "a", count: HTTPLimits.maximumRequestLineBytes) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        XCTAssertEqual(status(long), 414)
        // Also when the line has not ended yet: the parser must not wait for the rest.
        let unfinished = "GET /" + String(repeating: "a", count: HTTPLimits.maximumRequestLineBytes + 10)
        XCTAssertEqual(status(unfinished), 414)
    }

    func testHeaderSectionPastTheLimitIs431() {
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: HTTPLimits.maximumHeaderBytes) + "\r\n\r\n"
        XCTAssertEqual(status(big), 431)
        let unfinished = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: HTTPLimits.maximumHeaderBytes + 10)
        XCTAssertEqual(status(unfinished), 431)
    }

    func testTooManyHeaderFieldsIs431() {
        let fields = (0...HTTPLimits.maximumHeaderCount).map { "X-F\($0): v\r\n" }.joined()
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n"), 431)
        let allowed = (0..<(HTTPLimits.maximumHeaderCount - 1)).map { "X-F\($0): v\r\n" }.joined()
        XCTAssertNil(status("GET / HTTP/1.1\r\nHost: a\r\n" + allowed + "\r\n"))
    }

    func testContentLengthPastTheLimitIs413AndPastAnyNumberIs400() {
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(HTTPLimits.maximumBodyBytes + 1)\r\n\r\n"), 413)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(Int.max)\r\n\r\n"), 413, "large, but a number")
        // RFC 9110 §8.6: a length the recipient cannot hold is an invalid field, not a large body.
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999\r\n\r\n"), 400)
        XCTAssertNil(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0000000000000000000000000003\r\n\r\nabc"),
                     "leading zeros are digits like any other")
    }

    // MARK: - Malformed requests

    func testMalformedRequestLinesAre400() {
        XCTAssertEqual(status("GET  / HTTP/1.1\r\nHost: a\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/1.1 \r\nHost: a\r\n\r\n"), 400)
        XCTAssertEqual(status("GET /\r\nHost: a\r\n\r\n"), 400)
        XCTAssertEqual(status("G(T / HTTP/1.1\r\nHost: a\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTQ/1.1\r\nHost: a\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/11\r\nHost: a\r\n\r\n"), 400)
        XCTAssertEqual(status("GET /caf\u{e9} HTTP/1.1\r\nHost: a\r\n\r\n"), 400)
    }

    func testOtherVersionsAre505() {
        XCTAssertEqual(status("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505)
        XCTAssertEqual(status("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), 505)
    }

    func testBadBytesInTheHeadAre400() {
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\u{0}b\r\n\r\n"), 400, "NUL")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"), 400, "bare CR")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n  two\r\n\r\n"), 400, "obs-fold")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), 400, "space before the colon")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nNoColon\r\nHost: a\r\n\r\n"), 400, "no colon")
        XCTAssertEqual(status("GET / HTTP/1.1\nHost: a\n\n"), 400, "bare LF line endings")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n"), 400, "one bare LF")
    }

    func testHostIsRequiredOnceOnHTTP11() {
        XCTAssertEqual(status("GET / HTTP/1.1\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400)
    }

    func testAmbiguousFramingIs400() {
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -3\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"), 400)
    }

    func testUnknownTransferCodingsAre501() {
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), 501)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: rot13\r\n\r\n"), 501)
    }

    // MARK: - Target forms

    func testTargetForms() {
        func form(_ text: String) -> String {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBytes { raw in
                switch TargetForm.classify(raw) {
                case .origin(let path): return "origin " + String(decoding: path, as: UTF8.self)
                case .absolute(let path, let needsSlash):
                    return "absolute " + (needsSlash ? "/" : "") + String(decoding: path, as: UTF8.self)
                case .asterisk: return "asterisk"
                case .authority: return "authority"
                }
            }
        }
        XCTAssertEqual(form("/updates?limit=5"), "origin /updates?limit=5")
        XCTAssertEqual(form("http://example.org/updates?limit=5"), "absolute /updates?limit=5")
        XCTAssertEqual(form("HTTPS://example.org:8443/actors"), "absolute /actors")
        XCTAssertEqual(form("http://example.org"), "absolute /")
        XCTAssertEqual(form("http://example.org?limit=2"), "absolute /?limit=2")
        XCTAssertEqual(form("*"), "asterisk")
        XCTAssertEqual(form("example.org:443"), "authority")
        XCTAssertEqual(form("ftp://example.org/x"), "authority")
    }

    // MARK: - RFC 9110 §7.2, RFC 9112 §3.2: Host and the target, each rule whole

    func testHostMustBeAURIHostWithAnOptionalPort() {
        func hostStatus(_ host: String) -> Int? { status("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n") }
        for valid in ["example.org", "example.org:8080", "EXAMPLE.org:", "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:8443",
                      "[2001:db8::7]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7::]", "[v1.fe:x]",
                      "xn--bcher-kva.example", "a%20b", "sub_domain.example", "!$&'()*+,;=", "", ".leading", "-dash"] {
            XCTAssertNil(hostStatus(valid), "'\(valid)' is a uri-host [\":\" port]")
        }
        for invalid in ["exa mple.org", "example.org:80:80", "example.org:http", "user@example.org", "example.org/path",
                        "[::1", "::1", "[::1]x", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]", "[:1::]",
                        "[::1.2.3]", "[::256.1.1.1]", "[::01.1.1.1]", "[v.x]", "[vz.x]", "a%2", "a%zz", "caf\u{e9}",
                        "example.org?", "a#b", "[]", "a\"b"] {
            XCTAssertEqual(hostStatus(invalid), 400, "'\(invalid)' is not a uri-host [\":\" port]")
        }
        XCTAssertEqual(hostStatus("[::1]:"), nil, "an empty port is *DIGIT")
    }

    func testTheRequestTargetKeepsItsFormsGrammar() {
        for valid in ["/", "/updates?limit=5&q=a%20b", "/a/b;c=d/e:f@g!$&'()*+,", "/?x=/?", "*", "http://example.org",
                      "http://example.org/updates?x=1", "HTTP://Example.org:8080?x", "https://[::1]:8443/", "example.org:443"] {
            XCTAssertNil(status("OPTIONS \(valid) HTTP/1.1\r\nHost: a\r\n\r\n"), valid)
        }
        for invalid in ["/a#frag", "/a%2", "/a%zz", "/a|b", "/{x}", "/a\\b", "/a\"b", "/a<b>", "/a^b", "/a`b", "/[x]",
                        "http://", "http://user@example.org/", "http://exa mple/", "http://example.org:x/", "http:/x",
                        "http://example.org#f", "ftp://example.org/x", "updates"] {
            XCTAssertEqual(status("GET \(invalid) HTTP/1.1\r\nHost: a\r\n\r\n"), 400, invalid)
        }
    }

    func testEmptyLinesBeforeTheRequestCountTowardTheHeaderLimit() {
        let flood = String(repeating: "\r\n", count: HTTPLimits.maximumHeaderBytes / 2 + 1)
        XCTAssertEqual(status(flood), 431)
        XCTAssertEqual(feed(Array(flood.utf8).map { [$0] }).outcomes, [.failure(status: 431)], "byte by byte too")
    }

    // MARK: - Splits

    /// Every request shape the tests use, each split at pseudo-random points: the parser
    /// must give the same answers however the bytes arrive.
    func testAnySplitGivesTheAnswersOfTheWhole() {
        let stream = "\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
            + "PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"y\"\r\nabc\r\n0\r\nT: 1\r\n\r\n"
            + "GET /d HTTP/1.0\r\n\r\n"
            + "GET /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n"
        let bytes = Array(stream.utf8)
        let expected = feed([bytes]).outcomes
        XCTAssertEqual(expected.count, 5)
        XCTAssertEqual(expected.last, .failure(status: 400))
        var generator = SplitMix(seed: 11)
        for _ in 0..<300 {
            var chunks: [[UInt8]] = []
            var offset = 0
            while offset < bytes.count {
                let length = min(bytes.count - offset, 1 + Int(generator.next() % 40))
                chunks.append(Array(bytes[offset..<(offset + length)]))
                offset += length
            }
            XCTAssertEqual(feed(chunks).outcomes, expected)
        }
    }
}

/// A small deterministic generator, so that a failing split can be found again.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
