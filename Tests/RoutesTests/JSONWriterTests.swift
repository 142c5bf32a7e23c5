import Foundation
import XCTest
@testable import Routes

/// The one JSON string escaper: whatever the text, and wherever in it a quote, a backslash
/// or a control character falls (it skips clean text eight bytes at a time), the output is
/// JSON that reads back as the same text.
final class JSONWriterTests: XCTestCase {
    private func encoded(_ text: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("t", text)
        writer.endObject()
        return writer.bytes
    }

    func testEscapesOnlyWhatJSONRequires() {
        XCTAssertEqual(String(decoding: encoded("a\"b\\c\nd\re\tf\u{1}g/é"), as: UTF8.self),
                       #"{"t":"a\"b\\c\nd\re\tf\u0001g/é"}"#)
        XCTAssertEqual(String(decoding: encoded(""), as: UTF8.self), #"{"t":""}"#)
    }

    func testEverySpecialCharacterAtEveryOffsetReadsBack() throws {
        let specials: [Character] = ["\"", "\\", "\n", "\u{0}", "\u{1F}", "\t", "é", "😀", " ", "\u{7F}"]
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 31] {
            for offset in 0...length {
                for special in specials {
                    var text = String(repeating: "x", count: length)
                    text.insert(special, at: text.index(text.startIndex, offsetBy: offset))
                    let object = try JSONSerialization.jsonObject(with: Data(encoded(text))) as? [String: String]
                    XCTAssertEqual(object?["t"], text, "\(length) \(offset) \(special.unicodeScalars.first!.value)")
                }
            }
        }
    }
}
