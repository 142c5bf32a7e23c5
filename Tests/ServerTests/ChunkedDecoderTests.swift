import XCTest
@testable import HTTPParsing

/// The chunked decoder on its own (RFC 9112 §7.1): the exact chunk-size line grammar, the
/// limits on sizes, extensions and trailers, and the same answer however the body is split.
final class ChunkedDecoderTests: XCTestCase {
    enum Answer: Equatable {
        case needsMore
        case complete(used: Int, data: Int)
        case failure(status: Int)
    }

    /// Feeds `text` in pieces of `step` bytes (0: whole); the answer and the bytes it used.
    func decode(_ text: String, step: Int = 0) -> Answer {
        decode(Array(text.utf8), step: step)
    }

    func decode(_ bytes: [UInt8], step: Int = 0) -> Answer {
        var decoder = ChunkedDecoder()
        var offset = 0
        let size = step == 0 ? max(bytes.count, 1) : step
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            let progress = bytes[offset..<end].withUnsafeBytes { decoder.decode($0) }
            switch progress {
            case .needsMore: offset = end
            case .complete(let used): return .complete(used: offset + used, data: decoder.dataBytes)
            case .failure(let error): return .failure(status: error.status)
            }
        }
        return .needsMore
    }

    func assertSameEverySplit(_ text: String, _ expected: Answer, file: StaticString = #filePath, line: UInt = #line) {
        for step in [0, 1, 2, 3, 7] {
            XCTAssertEqual(decode(text, step: step), expected, "split every \(step) bytes: \(text.debugDescription)", file: file, line: line)
        }
    }

    func testChunksExtensionsAndTrailersWholeAndSplit() {
        let body = "5\r\nhello\r\n6;note=x\r\n world\r\n0\r\nX-Check: 1\r\n\r\n"
        assertSameEverySplit(body + "GET", .complete(used: body.utf8.count, data: 11))
        assertSameEverySplit("0\r\n\r\n", .complete(used: 5, data: 0))
        assertSameEverySplit("5\r\nhel", .needsMore)
    }

    func testTheChunkSizeLineGrammar() {
        // chunk-size [ chunk-ext ] CRLF; chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] )
        for valid in ["1;a\r\nx\r\n0\r\n\r\n", "1 ; a = b\r\nx\r\n0\r\n\r\n", "1;a=\"q \\\" d\"\r\nx\r\n0\r\n\r\n",
                      "1;a;b=c;d\r\nx\r\n0\r\n\r\n", "0001\r\nx\r\n0\r\n\r\n", "A\r\n0123456789\r\n0\r\n\r\n",
                      "1;a=\"\"\r\nx\r\n0\r\n\r\n", "1;a=\"x\" ;b\r\nx\r\n0\r\n\r\n"] {
            assertSameEverySplit(valid, .complete(used: valid.utf8.count, data: valid.hasPrefix("A") ? 10 : 1))
        }
        for invalid in ["\r\nx\r\n0\r\n\r\n", " 1\r\nx\r\n", "1 \r\nx\r\n", "1;\r\nx\r\n", "1;=b\r\nx\r\n",
                        "1;a=\r\nx\r\n", "1;a b\r\nx\r\n", "1;a=b c\r\nx\r\n", "1;a=\"open\r\nx\r\n", "1;a=\"x\"y\r\nx\r\n",
                        "1\nx\r\n", "1\rx", "0x1\r\nx\r\n", "+1\r\nx\r\n", "1;a=b \r\nx\r\n", "1;a=\"x\" \r\nx\r\n",
                        "1;a=\"\u{1}\"\r\nx\r\n", "g\r\n"] {
            assertSameEverySplit(invalid, .failure(status: 400))
        }
    }

    func testChunkDataMustEndWithCRLF() {
        assertSameEverySplit("2\r\nhello\r\n0\r\n\r\n", .failure(status: 400))
        assertSameEverySplit("2\r\nhe\n0\r\n\r\n", .failure(status: 400))
        assertSameEverySplit("2\r\nhe\r0\r\n\r\n", .failure(status: 400))
    }

    func testSizesPastTheBodyLimitAre413AndPastAnyNumberAre400() {
        let tooLarge = String(HTTPLimits.maximumBodyBytes + 1, radix: 16)
        assertSameEverySplit("\(tooLarge)\r\n", .failure(status: 413))
        assertSameEverySplit("7fffffffffffffff\r\n", .failure(status: 413))
        // RFC 9112 §7.1: a size that cannot be held is a framing error, not a large body.
        assertSameEverySplit("10000000000000000\r\n", .failure(status: 400))
        assertSameEverySplit("fffffffffffffffffffffffff\r\n", .failure(status: 400))
        // The sizes add up: many chunks under the limit each, over it together.
        let half = String(HTTPLimits.maximumBodyBytes / 2 + 1, radix: 16)
        let chunk = String(repeating: "x", count: HTTPLimits.maximumBodyBytes / 2 + 1)
        XCTAssertEqual(decode("\(half)\r\n\(chunk)\r\n\(half)\r\n"), .failure(status: 413))
    }

    func testChunkLinesAndTheirExtensionsAreBounded() {
        let longLine = "1;" + String(repeating: "e", count: HTTPLimits.maximumChunkLineBytes) + "\r\nx\r\n"
        XCTAssertEqual(decode(longLine), .failure(status: 400))
        // Lines each under the line limit, adding up past the metadata limit: cut there,
        // long before the data limit.
        let line = "1;" + String(repeating: "e", count: 200) + "\r\nx\r\n"
        let flood = Array(String(repeating: line, count: HTTPLimits.maximumChunkMetadataBytes / 200 + 2).utf8)
        XCTAssertEqual(decode(flood, step: 1000), .failure(status: 413))
        var decoder = ChunkedDecoder()
        var fed = 0
        for piece in stride(from: 0, to: flood.count, by: 1000) {
            let progress = flood[piece..<min(flood.count, piece + 1000)].withUnsafeBytes { decoder.decode($0) }
            fed = min(flood.count, piece + 1000)
            if progress != .needsMore { break }
        }
        XCTAssertLessThanOrEqual(fed, HTTPLimits.maximumChunkMetadataBytes + HTTPLimits.maximumChunkMetadataBytes / 200 + 1000,
                                 "cut within the limit (data bytes are the one byte a line)")
    }

    func testTheTrailerSectionIsBoundedAndHeldToTheFieldGrammar() {
        let field = "X-Trailer: " + String(repeating: "a", count: 1000) + "\r\n"
        let flood = "0\r\n" + String(repeating: field, count: HTTPLimits.maximumTrailerBytes / field.utf8.count + 1)
        XCTAssertEqual(decode(flood, step: 100), .failure(status: 431))
        let within = "0\r\n" + String(repeating: field, count: HTTPLimits.maximumTrailerBytes / field.utf8.count - 1) + "\r\n"
        XCTAssertEqual(decode(within, step: 100), .complete(used: within.utf8.count, data: 0))
        for invalid in ["0\r\nX : 1\r\n\r\n", "0\r\n : 1\r\n\r\n", "0\r\nX\r\n\r\n", "0\r\nX: a\u{0}b\r\n\r\n",
                        "0\r\nX: 1\n\r\n", "0\r\n\n", "0\r\n\r\r"] {
            assertSameEverySplit(invalid, .failure(status: 400))
        }
    }
}
