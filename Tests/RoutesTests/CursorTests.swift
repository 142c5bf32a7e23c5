import XCTest
@testable import Routes

final class CursorTests: XCTestCase {
    func testCursorsRoundTripWithAnyText() {
        for cursor in [Cursor.update(time: 1_582_891_200, article: "000_ab", id: "000_ab/2020-02-28T12:00:00Z-2"),
                       .actor(mentions: 7, name: "Recep Tayyip Erdoğan", id: "recep-tayyip-erdogan"),
                       .article(lastUpdate: Int64.min, id: "a.b c/é"), .update(time: -5, article: "", id: "")] {
            XCTAssertEqual(Cursor(encoded: cursor.encoded), cursor, cursor.encoded)
            XCTAssertTrue(cursor.encoded.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        }
    }

    func testEveryCursorOfTheRightShapeIsAPlaceInTheList() {
        // Keys no item has still fall somewhere: a well-formed cursor is never refused.
        for target in ["/updates?cursor=u1.0.AAAA.-_-", "/updates?cursor=u1.999999999999999999.x.y",
                       "/actors?cursor=a1.-3.Zm9v.", "/articles?cursor=r1.42.A", "/updates?cursor=u1.-9999999999999999999.A.A"] {
            XCTAssertEqual(Fixtures.get(target).status, 200, target)
        }
        XCTAssertEqual(Fixtures.json(Fixtures.get("/updates?cursor=u1.9999999999.AA.AA"))["total"] as? Int, 5)
        XCTAssertEqual((Fixtures.json(Fixtures.get("/updates?cursor=u1.0.AA.AA"))["updates"] as? [Any])?.count, 0,
                       "before 1970: nothing older")
        for target in ["/updates?cursor=u1.12.a", "/updates?cursor=u1.x.a.b", "/updates?cursor=u1.12345678901234567890.a.b",
                       "/updates?cursor=u1.1.a%2B.b", "/updates?cursor=a1.1.a.b", "/actors?cursor=r1.1.a"] {
            XCTAssertEqual(Fixtures.get(target).status, 400, target)
        }
    }
}
