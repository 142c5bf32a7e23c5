import XCTest
@testable import Store

final class SegmentationRuleTests: XCTestCase {
    private func normalize(_ lines: [String], id: String = "t1") throws -> Article {
        try ArticleNormalizer.normalize(text: lines.joined(separator: "\n"), id: id)
    }

    private func times(_ article: Article) -> [String] { article.updates.map(\.time.rfc3339) }

    // MARK: Header

    func testHeaderDateLedeAndUpdates() throws {
        let article = try normalize([
            " date 2021-05-12 %MINIFYHTMLaa11% %MINIFYHTMLaa12%",
            "",
            "A ferry strike has stopped traffic to the islands.",
            "",
            "Here are all the latest updates:",
            "",
            "Wednesday, May 12",
            "",
            "15:20 GMT – Unions meet the transport minister",
            "",
            "The talks started an hour late.",
            "",
            "9:05 GMT – Strike begins at dawn",
        ])
        XCTAssertEqual(article.date, "2021-05-12")
        XCTAssertEqual(article.lede, ["A ferry strike has stopped traffic to the islands."])
        XCTAssertEqual(times(article), ["2021-05-12T15:20:00Z", "2021-05-12T09:05:00Z"])
        XCTAssertEqual(article.updates.map(\.headline), ["Unions meet the transport minister", "Strike begins at dawn"])
        XCTAssertEqual(article.updates[0].body, ["The talks started an hour late."])
        XCTAssertEqual(article.updates[1].body, [], "an update may have no body")
        XCTAssertEqual(article.updates[0].id, "t1/2021-05-12T15:20:00Z")
        XCTAssertEqual(article.updates[0].article, "t1")
    }

    func testEmptyFileAndMissingHeaderAreErrors() {
        XCTAssertThrowsError(try normalize(["", "   ", ""])) { XCTAssertEqual($0 as? StoreError, .emptyFile) }
        XCTAssertThrowsError(try normalize(["A lede without a header.", "", "10:00 GMT – Something"])) {
            guard case .missingDateHeader = $0 as? StoreError else { return XCTFail("got \($0)") }
        }
        XCTAssertThrowsError(try normalize([" date 2021-13-40", "10:00 GMT – Something"])) {
            guard case .invalidDateHeader = $0 as? StoreError else { return XCTFail("got \($0)") }
        }
        XCTAssertThrowsError(try normalize([" date 2021-05-12", "Only a lede here."])) {
            XCTAssertEqual($0 as? StoreError, .noUpdates)
        }
    }

    func testCRLFAndByteOrderMark() throws {
        let text = "\u{FEFF} date 2021-05-12\r\n\r\nThe lede.\r\n\r\n10:00 GMT – A headline\r\n\r\nA body line.\r\n"
        let article = try ArticleNormalizer.normalize(text: text, id: "crlf")
        XCTAssertEqual(article.lede, ["The lede."])
        XCTAssertEqual(article.updates.first?.headline, "A headline")
        XCTAssertEqual(article.updates.first?.body, ["A body line."])
    }

    func testPartialHeaderDateKeepsItsTextAndUsesDayHeaders() throws {
        let article = try normalize([" date 2021-05", "Tuesday, May 11", "08:00 GMT – Markets open lower"])
        XCTAssertEqual(article.date, "2021-05")
        XCTAssertEqual(times(article), ["2021-05-11T08:00:00Z"])
    }

    func testHeaderDateShapes() throws {
        func date(_ header: String) throws -> String { try normalize([header, "", "08:00 GMT – Markets open"]).date }
        XCTAssertEqual(try date("date 2021-05-12 trailing debris"), "2021-05-12")
        XCTAssertEqual(try date("date 2021-05-12T08:30:00Z"), "2021-05-12")
        XCTAssertEqual(try date("Date: 2021-05-12"), "2021-05-12")
        XCTAssertEqual(try date("date 12 May 2021"), "2021-05-12")
        XCTAssertEqual(try date("date May 12, 2021 debris"), "2021-05-12")
        XCTAssertThrowsError(try date("date 2021-02-30"))
        XCTAssertThrowsError(try date("date soon"))
        XCTAssertThrowsError(try date("dated 2021-05-12"))
    }

    // MARK: Day headers

    func testDayHeaderYearIsTheNearestToTheHeaderDate() throws {
        let forward = try normalize([" date 2021-12-31", "Saturday, January 1", "00:30 GMT – Fireworks end",
                                     "Friday, December 31", "23:10 GMT – Crowds gather"])
        XCTAssertEqual(times(forward), ["2022-01-01T00:30:00Z", "2021-12-31T23:10:00Z"])
        let backward = try normalize([" date 2022-01-01", "Friday, December 31", "22:00 GMT – Last train of the year"])
        XCTAssertEqual(times(backward), ["2021-12-31T22:00:00Z"])
    }

    func testMultiDayBlogWithUpdatesAfterMidnight() throws {
        let article = try normalize([" date 2021-05-12", "Thursday, May 13", "00:20 GMT – Vote count continues",
                                     "Wednesday, May 12", "23:45 GMT – Polls close"])
        XCTAssertEqual(times(article), ["2021-05-13T00:20:00Z", "2021-05-12T23:45:00Z"])
    }

    // MARK: Update lines

    func testUpdatesOutOfOrderUnderADayHeaderAreKeptWithAWarning() throws {
        let article = try normalize([" date 2021-05-12", "Wednesday, May 12", "09:00 GMT – Earlier", "11:00 GMT – Later"])
        XCTAssertEqual(times(article), ["2021-05-12T09:00:00Z", "2021-05-12T11:00:00Z"])
        XCTAssertEqual(article.warnings.count, 1)
        XCTAssertTrue(article.warnings.first?.hasPrefix("line 4:") == true, "\(article.warnings)")
    }

    func testOffsetsRollTheDayBackAndForward() throws {
        let back = try normalize([" date 2021-03-07", "Sunday, March 7", "01:30 GMT+3 – Early raid reported"])
        XCTAssertEqual(times(back), ["2021-03-06T22:30:00Z"])
        let forward = try normalize([" date 2021-03-07", "Sunday, March 7", "21:00 GMT-5 – Late statement"])
        XCTAssertEqual(times(forward), ["2021-03-08T02:00:00Z"])
    }

    func testWithoutDayHeadersTimesGoingUpCrossMidnightBackward() throws {
        let article = try normalize([" date 2021-06-02", "02:10 GMT – Rescue resumes", "00:40 GMT – Rain stops",
                                     "22:30 GMT – River bursts its banks", "18:00 GMT – Warnings issued"])
        XCTAssertEqual(times(article), ["2021-06-02T02:10:00Z", "2021-06-02T00:40:00Z",
                                        "2021-06-01T22:30:00Z", "2021-06-01T18:00:00Z"])
    }

    func testUpdatesAboveTheFirstDayHeaderAreDatedUpwardFromIt() throws {
        let article = try normalize([" date 2021-06-01", "01:00 GMT – Aftershock felt", "Tuesday, June 1",
                                     "23:00 GMT – Quake strikes"])
        XCTAssertEqual(times(article), ["2021-06-02T01:00:00Z", "2021-06-01T23:00:00Z"])
    }

    // MARK: Boilerplate

    // MARK: Impossible and duplicate times

    func testImpossibleTimeDropsTheUpdateWithItsParagraphs() throws {
        let article = try normalize([" date 2021-05-12", "Wednesday, May 12", "12:00 GMT – Kept one",
                                     "Kept body.", "", "25:61 GMT – Broken one", "Paragraph of the broken one.",
                                     "Another paragraph of it.", "08:00 GMT – Kept two", "Second kept body."])
        XCTAssertEqual(times(article), ["2021-05-12T12:00:00Z", "2021-05-12T08:00:00Z"])
        XCTAssertEqual(article.updates[0].body, ["Kept body."])
        XCTAssertEqual(article.updates[1].body, ["Second kept body."])
        XCTAssertEqual(article.warnings.count, 1)
        XCTAssertTrue(article.warnings[0].hasPrefix("line 6:"), article.warnings[0])
        XCTAssertTrue(article.warnings[0].contains("25:61"), article.warnings[0])
    }

    func testTwoUpdatesAtTheSameMinuteAreBothKept() throws {
        let article = try normalize([" date 2021-05-12", "Wednesday, May 12", "12:00 GMT – First at noon",
                                     "12:00 GMT – Second at noon"], id: "dup")
        XCTAssertEqual(article.updates.map(\.id), ["dup/2021-05-12T12:00:00Z", "dup/2021-05-12T12:00:00Z-2"])
        XCTAssertEqual(article.warnings.count, 1)
        XCTAssertTrue(article.warnings[0].hasPrefix("line 4:") && article.warnings[0].contains("2021-05-12T12:00:00Z"),
                      article.warnings[0])
    }

    func testEmbedsAreLiftedOutOfTheBodyInOrder() throws {
        let article = try normalize([" date 2021-05-12", "Wednesday, May 12", "12:00 GMT – Port reopens",
                                     "The first ship left at noon.",
                                     "Ships are moving again https://t.co/AbC123 – Port Authority (@port_auth) May 12, 2021",
                                     "Port reopens after three-day strike (2:05)"])
        XCTAssertEqual(article.updates[0].body, ["The first ship left at noon."])
        XCTAssertEqual(article.updates[0].embeds.count, 2)
        guard case .tweet(let tweet) = article.updates[0].embeds[0], case .video(let video) = article.updates[0].embeds[1]
        else { return XCTFail("embeds: \(article.updates[0].embeds)") }
        XCTAssertEqual(tweet.handle, "@port_auth")
        XCTAssertEqual(video.duration, 125)
    }
}
