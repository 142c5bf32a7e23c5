import Foundation
import XCTest

/// `liveblog normalize --explain FILE`: the rule behind every actor mention and quote, from
/// the real binary on an article written for this test.
final class NormalizeExplainTests: XCTestCase {
    func testExplainPrintsTheRuleAndTheWordsOfEachMentionAndQuote() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liveblog-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("900_0000000000000abc.txt")
        try """
             date 2022-05-01 %MINIFYHTML0%

            Sunday, May 1

            12:00 GMT – Manitoba closes its schools

            Manitoba has banned gatherings of more than ten people, Health Minister Ana Soto said.

            "The schools will stay closed until Friday morning," Soto said.

            """.write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try ChildProcess.run(try LiveblogProcess.locateBinary().path, ["normalize", "--explain", file.path])
        XCTAssertEqual(status, 0, output)
        let lines = output.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let update = "900_0000000000000abc/2022-05-01T12:00:00Z"
        XCTAssertTrue(lines.contains([update, "actor", "manitoba", "gazetteer: organization subdivision", "Manitoba"]), output)
        XCTAssertTrue(lines.contains([update, "actor", "ana-soto", "person: title before the name", "Ana Soto"]), output)
        XCTAssertTrue(lines.contains([update, "quote", "ana-soto", "quote: attribution after the quote",
                                      "The schools will stay closed until Friday morning"]), output)
        XCTAssertTrue(lines.allSatisfy { $0.count == 5 }, output)
    }
}
