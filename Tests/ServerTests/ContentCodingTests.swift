import XCTest
@testable import Server

final class ContentCodingTests: XCTestCase {
    func negotiate(_ field: String?) -> ContentCoding {
        guard let field else { return ContentCoding.negotiate(nil) }
        return Array(field.utf8).withUnsafeBytes { ContentCoding.negotiate($0) }
    }

    func testTheHighestQWinsAndTiesGoToTheSmallerBody() {
        XCTAssertEqual(negotiate(nil), .identity, "no field: identity, as for curl")
        XCTAssertEqual(negotiate(""), .identity)
        XCTAssertEqual(negotiate("gzip"), .gzip)
        XCTAssertEqual(negotiate("gzip, deflate, br"), .br)
        XCTAssertEqual(negotiate("GZIP;Q=0.5, br;q=0.4"), .gzip)
        XCTAssertEqual(negotiate("br;q=1.000, gzip"), .br)
        XCTAssertEqual(negotiate("x-gzip"), .gzip)
        XCTAssertEqual(negotiate("deflate, compress"), .identity)
        XCTAssertEqual(negotiate("identity;q=1, gzip;q=0.9"), .identity)
    }

    func testQZeroRefusesAndTheWildcardStandsForTheUnnamed() {
        XCTAssertEqual(negotiate("br;q=0, gzip"), .gzip)
        XCTAssertEqual(negotiate("br;q=0, gzip;q=0"), .identity)
        XCTAssertEqual(negotiate("*"), .br)
        XCTAssertEqual(negotiate("*;q=0.5, br;q=0"), .gzip)
        XCTAssertEqual(negotiate("*;q=0"), .identity, "nothing acceptable: identity rather than a 406")
        XCTAssertEqual(negotiate("gzip;q=0.2, *;q=0.1, identity;q=0"), .gzip)
        XCTAssertEqual(negotiate("identity;q=0, *;q=0.3"), .br)
    }

    func testMalformedElementsAreIgnored() {
        XCTAssertEqual(negotiate("br;q=2, gzip"), .gzip, "q above 1")
        XCTAssertEqual(negotiate("br;q=, gzip"), .gzip)
        XCTAssertEqual(negotiate("br;level=3, gzip;q=0.1"), .gzip)
        XCTAssertEqual(negotiate(" ,, gzip ; q=0.7 ,"), .gzip)
        XCTAssertEqual(negotiate("br;q=0.0001"), .identity, "more than three decimals")
    }

    func testSmallOrOpaqueBodiesAreNotCompressed() {
        XCTAssertTrue(Compressor.isCompressible(contentType: "application/json"))
        XCTAssertTrue(Compressor.isCompressible(contentType: "text/html; charset=utf-8"))
        XCTAssertFalse(Compressor.isCompressible(contentType: "image/png"))
        let small = ResponseVariants(.init(status: 200, headers: [("Content-Type", "application/json")],
                                           body: Array(repeating: UInt8(ascii: "a"), count: Compressor.minimumBodyBytes - 1)),
                                     mayCompress: true)
        XCTAssertFalse(small.compressible)
        let large = ResponseVariants(.init(status: 200, headers: [("Content-Type", "application/json")],
                                           body: Array(repeating: UInt8(ascii: "a"), count: Compressor.minimumBodyBytes)),
                                     mayCompress: true)
        XCTAssertTrue(large.compressible)
        XCTAssertFalse(ResponseVariants(.init(status: 404, headers: [("Content-Type", "application/json")],
                                              body: Array(repeating: 0x61, count: 4096)), mayCompress: true).compressible)
    }
}
