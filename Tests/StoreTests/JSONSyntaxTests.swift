import XCTest
@testable import Store

final class JSONSyntaxTests: XCTestCase {
    private func error(_ text: String) -> String? {
        JSONSyntax.firstError(in: Array(text.utf8))?.description
    }

    func testValidDocumentsHaveNoError() {
        XCTAssertNil(error(#"{"a": [1, -2.5e3, true, false, null, "x\"y"], "b": {}}"#))
        XCTAssertNil(error("  [ ]  "))
    }

    func testTheFirstBadByteIsPlacedByLineAndColumn() {
        XCTAssertEqual(error("{\n  \"a\": nope }"), "line 2, column 8")
        XCTAssertEqual(error("[1, 2,]"), "line 1, column 7")
        XCTAssertEqual(error("{\"a\" 1}"), "line 1, column 6")
        XCTAssertEqual(error("{\"a\": 1} trailing"), "line 1, column 10")
        XCTAssertEqual(error(""), "line 1, column 1")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        XCTAssertNotNil(error(String(repeating: "[", count: 100_000)))
    }
}
