import XCTest
@testable import Store

final class SegmentationTests: XCTestCase {
    private func normalize(_ text: String, id: String = "t") throws -> Article {
        try ArticleNormalizer.normalize(text: text, id: id)
    }

    private func times(_ article: Article) -> [String] { article.updates.map(\.time.rfc3339) }

    func testHeaderLedeDayHeadersAndUpdateLines() throws {
        let article = try normalize("""
             date 2022-08-09 %MINIFYHTMLab11% %MINIFYHTMLab12%

            A storm reached the islands overnight.

            Plus:

            Here are all the latest updates:

            Tuesday, August 9

            14:30 GMT – Ferries stay in port

            The coastguard kept every ferry in port.

            More:

            Schools will open late.

            9:05 GMT — Winds ease - for now

            1:10 GMT - Storm makes landfall
            """)
        XCTAssertEqual(article.date, "2022-08-09")
        XCTAssertEqual(article.lede, ["A storm reached the islands overnight."])
        XCTAssertEqual(times(article), ["2022-08-09T14:30:00Z", "2022-08-09T09:05:00Z", "2022-08-09T01:10:00Z"])
        XCTAssertEqual(article.updates.map(\.headline), ["Ferries stay in port", "Winds ease - for now", "Storm makes landfall"])
        XCTAssertEqual(article.updates[0].body, ["The coastguard kept every ferry in port.", "Schools will open late."])
        XCTAssertEqual(article.updates[1].body, [], "an update may have no body")
        XCTAssertEqual(article.updates[0].id, "t/2022-08-09T14:30:00Z")
    }

    func testDayHeaderYearIsTheOneNearestTheHeaderDate() throws {
        let article = try normalize("""
             date 2022-12-31

            Sunday, January 1

            0:20 GMT – Fireworks over the bay

            Saturday, December 31

            23:50 GMT – Crowds gather
            """)
        XCTAssertEqual(times(article), ["2023-01-01T00:20:00Z", "2022-12-31T23:50:00Z"])
    }

    func testOffsetsConvertToUTCAndRollTheDayBack() throws {
        let article = try normalize("""
             date 2021-06-02

            Wednesday, June 2

            2:15 GMT+3 – Talks resume after midnight

            Tuesday, June 1

            16:00 GMT-5 – Markets close

            10:00 CET – Ministers arrive

            8:30 GMT+5:30 – Delegates land
            """)
        XCTAssertEqual(times(article), ["2021-06-01T23:15:00Z", "2021-06-01T21:00:00Z", "2021-06-01T09:00:00Z",
                                        "2021-06-01T03:00:00Z"])
    }

    func testWithoutDayHeadersALaterTimeMeansThePreviousDay() throws {
        let article = try normalize("""
             date 2021-04-10

            1:00 GMT – Quiet night

            23:30 GMT – Last trains leave

            20:00 GMT – Evening rally
            """)
        XCTAssertEqual(times(article), ["2021-04-10T01:00:00Z", "2021-04-09T23:30:00Z", "2021-04-09T20:00:00Z"])
    }

    func testOtherHeaderAndUpdateLineForms() throws {
        let article = try normalize("""
            Date: 2021-04-10T06:00:00Z

            1430 GMT – Four digits with a zone

            12:10 GMT: A colon after the zone

            11:00 GMT | A bar

            10:45 GMT + 2 – A spaced offset

            0930 – not an update line without a zone
            """)
        XCTAssertEqual(article.date, "2021-04-10")
        XCTAssertEqual(times(article), ["2021-04-10T14:30:00Z", "2021-04-10T12:10:00Z", "2021-04-10T11:00:00Z",
                                        "2021-04-10T08:45:00Z"])
        XCTAssertEqual(article.updates.map(\.headline), ["Four digits with a zone", "A colon after the zone", "A bar",
                                                         "A spaced offset"])
        XCTAssertEqual(article.updates[3].body, ["0930 – not an update line without a zone"])
    }

    func testBoilerplateInEveryPlaceAndFormIsDropped() throws {
        let article = try normalize("""
             date 2021-04-10

            Summary line.

            You can find all the key events here.

            Read more:

            Here are all the latest updates

            8:00 GMT – Morning

            First paragraph.

            Plus:

            Second paragraph.
            """)
        XCTAssertEqual(article.lede, ["Summary line."])
        XCTAssertEqual(article.updates[0].body, ["First paragraph.", "Second paragraph."])
    }

    func testAnImpossibleTimeDropsItsUpdateAndParagraphsWithAWarning() throws {
        let article = try normalize("""
             date 2021-04-10

            Saturday, April 10

            12:00 GMT – Noon update

            Noon text.

            24:75 GMT – Broken line

            Text of the broken update.

            9:00 GMT – Morning update

            Morning text.
            """)
        XCTAssertEqual(times(article), ["2021-04-10T12:00:00Z", "2021-04-10T09:00:00Z"])
        XCTAssertEqual(article.updates[0].body, ["Noon text."])
        XCTAssertEqual(article.updates[1].body, ["Morning text."])
        XCTAssertEqual(article.warnings.count, 1)
        XCTAssertTrue(article.warnings[0].hasPrefix("line 9: impossible time '24:75'"), article.warnings[0])
    }

    func testTwoUpdatesAtOneMinuteAreBothKeptWithASuffix() throws {
        let article = try normalize("""
             date 2021-04-10

            10:00 GMT – First

            10:00 GMT – Second
            """)
        XCTAssertEqual(article.updates.map(\.id), ["t/2021-04-10T10:00:00Z", "t/2021-04-10T10:00:00Z-2"])
        XCTAssertTrue(article.warnings.contains { $0.contains("second update at 2021-04-10T10:00:00Z") })
    }

    func testByteOrderMarkAndCRLFAreNotContent() throws {
        let article = try normalize("\u{FEFF} date 2021-04-10\r\n\r\n10:00 GMT – Headline\r\n\r\nBody.\r\n")
        XCTAssertEqual(article.updates[0].headline, "Headline")
        XCTAssertEqual(article.updates[0].body, ["Body."])
    }

    func testFilesThatCannotBeServedSayWhy() {
        XCTAssertThrowsError(try normalize("   \n\n")) { XCTAssertEqual($0 as? StoreError, .emptyFile) }
        XCTAssertThrowsError(try normalize("A lede with no header.\n\n10:00 GMT – Headline")) { error in
            guard case .missingDateHeader? = error as? StoreError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try normalize(" date 2021-02-30\n\n10:00 GMT – Headline")) { error in
            guard case .invalidDateHeader? = error as? StoreError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try normalize(" date 2021-02-03\n\nOnly a lede.")) { XCTAssertEqual($0 as? StoreError, .noUpdates) }
    }

    func testNormalizedJSONLoadsBackToTheSameArticle() throws {
        let article = try normalize("""
             date 2021-04-10

            10:00 GMT – Minister speaks

            "We will rebuild every bridge this year," said Transport Minister Lena Okafor.

            Bridges reopen soon (1:02)
            """)
        let data = try JSONEncoder().encode(article)
        XCTAssertEqual(try JSONDecoder().decode(Article.self, from: data), article)
    }
}
