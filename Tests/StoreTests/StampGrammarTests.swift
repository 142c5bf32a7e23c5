import XCTest
@testable import Store

/// One test per stamp style of the grammar (`stamps.json`), on lines written for these tests.
final class StampGrammarTests: XCTestCase {
    private let grammar = StampGrammar.shared

    private func stamp(_ line: String, file: StaticString = #filePath, line number: UInt = #line) -> Stamp? {
        guard case .stamp(let stamp) = grammar.read(line) else {
            XCTFail("not read as a stamp: \(line) -> \(grammar.read(line))", file: file, line: number)
            return nil
        }
        return stamp
    }

    private func normalize(_ lines: [String]) throws -> Article {
        try ArticleNormalizer.normalize(text: lines.joined(separator: "\n"), id: "s")
    }

    private func times(_ article: Article) -> [String] { article.updates.map(\.time.rfc3339) }

    func testZoneAfterTheTimeWithEverySeparator() {
        for line in ["16:05 GMT – Ferry resumes", "16:05 GMT: Ferry resumes", "16:05 GMT -Ferry resumes",
                     "16:05 GMT—Ferry resumes", "16:05 GMT -- Ferry resumes", "16:05 GMT | Ferry resumes",
                     "16:05 UTC – Ferry resumes", "16:05 Greenwich Mean Time – Ferry resumes"] {
            let read = stamp(line)
            XCTAssertEqual(read?.hour, 16, line)
            XCTAssertEqual(read?.minute, 5, line)
            XCTAssertEqual(read?.zone, .fixed(0), line)
            XCTAssertEqual(read?.headline, "Ferry resumes", line)
        }
    }

    func testDotsFourDigitsAndOffsets() {
        XCTAssertEqual(stamp("13.57: Rain returns to the coast")?.headline, "Rain returns to the coast")
        XCTAssertEqual(stamp("13.57: Rain returns to the coast")?.zone, nil, "a bare time takes the page's zone")
        XCTAssertEqual(stamp("0745 GMT – Roads reopen").map { [$0.hour, $0.minute] }, [7, 45])
        XCTAssertEqual(stamp("2130 GMT: Curfew lifted")?.hour, 21)
        XCTAssertEqual(stamp("09:10 GMT+3 – Talks open")?.zone, .fixed(180))
        XCTAssertEqual(stamp("09:10 UTC-05:30 – Talks open")?.zone, .fixed(-330))
        XCTAssertEqual(grammar.read("0745 – four digits are a clock only with a zone"), .none)
    }

    func testTwelveHourClocksWithEverySpellingOfAmAndPm() {
        for (line, hour) in [("10:39 p.m. ET – Vote count stalls", 22), ("12:31 P.M. ET – Vote count stalls", 12),
                             ("08:37 AM IST: Vote count stalls", 8), ("10.17pm GMT – Vote count stalls", 22),
                             ("12.05am GMT – Vote count stalls", 0), ("7 pm GMT – Vote count stalls", 19),
                             ("11:15 a.m ET – Vote count stalls", 11)] {
            XCTAssertEqual(stamp(line)?.hour, hour, line)
            XCTAssertEqual(stamp(line)?.headline, "Vote count stalls", line)
        }
        XCTAssertEqual(stamp("10:39 p.m. ET – x")?.zone, .region("America/New_York"))
        XCTAssertEqual(stamp("08:37 AM IST: x")?.zone, .region("Asia/Kolkata"))
        XCTAssertEqual(grammar.read("13:10 pm GMT – no such clock"), .invalid("13:10 pm"))
    }

    func testStampWithItsOwnDateAndTheHeadlineOnTheNextLine() throws {
        let read = stamp("10:39 p.m. ET, January 7, 2020")
        XCTAssertEqual(read?.date, StampDate(year: 2020, month: 1, day: 7))
        XCTAssertNil(read?.headline, "the title is on the next line")
        XCTAssertEqual(stamp("06:57 GMT 8 January 2020")?.date, StampDate(year: 2020, month: 1, day: 8))
        XCTAssertEqual(stamp("06:57 GMT, Wed 8 Jan")?.date, StampDate(year: nil, month: 1, day: 8))

        let article = try normalize([" date 2020-01-07", "Updated 9:00 a.m. ET, January 8, 2020",
                                     "10:39 p.m. ET, January 7, 2020", "", "Council delays the harbour vote",
                                     "From our reporter at the harbour", "The council met late into the night.",
                                     "9:15 p.m. ET, January 7, 2020", "Ferries are cancelled for the evening."])
        XCTAssertEqual(times(article), ["2020-01-08T03:39:00Z", "2020-01-08T02:15:00Z"],
                       "ET is UTC-5 in January; the day is the stamp's own")
        XCTAssertEqual(article.updates.map(\.headline), ["Council delays the harbour vote", ""])
        XCTAssertEqual(article.updates[0].body, ["From our reporter at the harbour", "The council met late into the night."])
        XCTAssertEqual(article.updates[1].body, ["Ferries are cancelled for the evening."], "a sentence is not a title")
        XCTAssertEqual(article.lede, ["Updated 9:00 a.m. ET, January 8, 2020"])
    }

    func testSummerTimeOfANamedZoneFollowsTheDate() throws {
        let winter = try normalize([" date 2021-01-15", "10:00 p.m. ET, January 14, 2021 – Snow closes schools"])
        let summer = try normalize([" date 2021-08-15", "10:00 p.m. ET, August 14, 2021 – Heat closes schools"])
        XCTAssertEqual(times(winter), ["2021-01-15T03:00:00Z"])
        XCTAssertEqual(times(summer), ["2021-08-15T02:00:00Z"])
    }

    func testDateBeforeTheClock() throws {
        let read = stamp("January 7, 2020, 10:39 p.m. ET")
        XCTAssertEqual(read?.date, StampDate(year: 2020, month: 1, day: 7))
        XCTAssertEqual(read?.hour, 22)
        XCTAssertEqual(stamp("8 March 2021 at 14:05 GMT – Bridge reopens")?.headline, "Bridge reopens")
        XCTAssertEqual(grammar.read("January 7 was the coldest day"), .none)
        let article = try normalize([" date 2021-03-15", "Mar 14, 2021 - 11:30 p.m. ET", "Clocks went forward today"])
        XCTAssertEqual(times(article), ["2021-03-15T03:30:00Z"], "EDT from the second Sunday of March")
    }

    func testRelativeAgeBeforeTheTime() {
        let read = stamp("45 mins ago (14:16 GMT)")
        XCTAssertEqual(read.map { [$0.hour, $0.minute] }, [14, 16])
        XCTAssertNil(read?.headline)
        XCTAssertEqual(stamp("2h ago (09:05 GMT) – Bridge reopens")?.headline, "Bridge reopens")
        XCTAssertEqual(stamp("3 hours ago 08:40 GMT")?.minute, 40)
    }

    func testStampGluedToTheEndOfAHeadline() throws {
        let read = stamp("Rescue teams reach the villagepublished at 06:57 Greenwich Mean Time 8 January 2020")
        XCTAssertEqual(read?.headline, "Rescue teams reach the village")
        XCTAssertEqual(read?.date, StampDate(year: 2020, month: 1, day: 8))
        XCTAssertEqual(read?.zone, .fixed(0))
        XCTAssertEqual(grammar.read("Rescue teams were published at length"), .none)
    }

    func testHeadlineOnTheStampLineWithoutASeparator() throws {
        XCTAssertEqual(stamp("22:00 Mayor speaks to the fishermen")?.headline, "Mayor speaks to the fishermen")
        XCTAssertEqual(stamp("22:00 Local elections postponed")?.headline, "Local elections postponed",
                       "a word that can be a zone is the headline when the line needs it")
        XCTAssertEqual(grammar.read("12:30 was the deadline for the bids"), .none)
        XCTAssertEqual(grammar.read("1:03:20 of footage was released"), .none)
        XCTAssertEqual(grammar.read("93 Posts"), .none)
    }

    func testAPageDeclaresItsZoneForTheBareTimesBelow() throws {
        let article = try normalize([" date 2019-04-22", "23:00 Before the declaration",
                                     "Follow the story here. All times UTC+4", "22:00 Minister visits the port",
                                     "13:00 GMT – A zone of its own still wins"])
        XCTAssertEqual(times(article), ["2019-04-22T23:00:00Z", "2019-04-22T18:00:00Z", "2019-04-22T13:00:00Z"])
        XCTAssertEqual(grammar.declaredZone(in: "Times are local (Yangon Time)"), .region("Asia/Yangon"))
        XCTAssertEqual(grammar.declaredZone(in: "All times are in BST."), .fixed(60))
        XCTAssertNil(grammar.declaredZone(in: "It was the first time the port closed."))
    }

    func testNewestFirstBlogCrossingMidnightRollsTheDay() throws {
        let article = try normalize([" date 2020-03-19", "12.34am GMT", "The blog closes for the night.",
                                     "11.54pm GMT", "Port strike ends", "The dockers voted to return.",
                                     "11.34pm GMT", "Summary"])
        XCTAssertEqual(times(article), ["2020-03-19T00:34:00Z", "2020-03-18T23:54:00Z", "2020-03-18T23:34:00Z"])
        XCTAssertEqual(article.updates.map(\.headline), ["", "Port strike ends", "Summary"])
    }

    func testHeaderLineMayCarryPageTextAfterTheDate() throws {
        let article = try normalize([" date 2023-02-09 Wednesday, February 8, 2023", "The lede of the page.",
                                     "0130 GMT — Aid convoy crosses", "2100 GMT — Border reopens"])
        XCTAssertEqual(article.date, "2023-02-09")
        XCTAssertEqual(times(article), ["2023-02-09T01:30:00Z", "2023-02-08T21:00:00Z"])
    }

    func testUnknownZoneIsAWarningNamingTheLine() throws {
        let article = try normalize([" date 2021-05-12", "14:30 XYZ – Talks resume"])
        XCTAssertEqual(times(article), ["2021-05-12T14:30:00Z"])
        XCTAssertEqual(article.updates.first?.headline, "Talks resume")
        XCTAssertEqual(article.warnings.count, 1)
        XCTAssertTrue(article.warnings[0].hasPrefix("line 2: unknown zone 'XYZ'"), article.warnings[0])
    }

    func testAStampTheGrammarCannotFinishIsAWarningAndStaysProse() throws {
        XCTAssertEqual(grammar.read("14:30 GMT the army said it had withdrawn"), .unplaced("14:30 GMT"))
        let article = try normalize([" date 2021-05-12", "15:00 GMT – Troops pull back", "14:30 GMT the army said it had withdrawn"])
        XCTAssertEqual(article.updates.first?.body, ["14:30 GMT the army said it had withdrawn"])
        XCTAssertEqual(article.warnings, ["line 3: '14:30 GMT' reads as an update stamp but no headline follows it; kept as a paragraph"])
    }

    func testATweetGluedToTheStampLineIsLiftedOut() throws {
        let article = try normalize([" date 2021-08-21",
            "08:15 AM IST: The port authority said the ferries would sail again. Ferries sail at noon pic.twitter.com/AbC123 — Port Authority (@port_auth) August 20, 2021",
            "07:00 AM IST: #Harbour Ships wait outside the port pic.twitter.com/XyZ987— Harbour Watch (@harbour_w) August 20, 2021"])
        XCTAssertEqual(times(article), ["2021-08-21T02:45:00Z", "2021-08-21T01:30:00Z"])
        XCTAssertEqual(article.updates.map(\.headline), ["The port authority said the ferries would sail again.", ""])
        guard case .tweet(let first)? = article.updates[0].embeds.first, case .tweet(let second)? = article.updates[1].embeds.first
        else { return XCTFail("embeds: \(article.updates.map(\.embeds))") }
        XCTAssertEqual(first.text, "Ferries sail at noon pic.twitter.com/AbC123")
        XCTAssertEqual(second.handle, "@harbour_w")
        XCTAssertEqual(article.updates[0].body, [])
    }

    func testTweetSignatureOnItsOwnLineJoinsTheTweetAbove() throws {
        let article = try normalize([" date 2021-08-21", "09:00 GMT – Ferries return", "Ships are moving again pic.twitter.com/AbC123",
                                     "— Port Authority - Harbour Desk (@port_auth) August 21, 2021"])
        XCTAssertEqual(article.updates[0].body, [])
        guard case .tweet(let tweet)? = article.updates[0].embeds.first else { return XCTFail("\(article.updates[0])") }
        XCTAssertEqual(tweet.author, "Port Authority - Harbour Desk", "after an em dash, a hyphen is part of the name")
        XCTAssertEqual(tweet.text, "Ships are moving again pic.twitter.com/AbC123")
    }

    func testATweetIsReadFromItsEndWhateverComesBefore() {
        let debris = String(repeating: "a - b (@c) – ", count: 2_000)
        XCTAssertNil(EmbedExtractor.tweet(in: debris + "no signature here"))
        let tweet = EmbedExtractor.tweet(in: debris + "Ferries sail — Port Authority - Harbour Desk (@port_auth) 21 August 2021")
        XCTAssertEqual(tweet?.author, "Port Authority - Harbour Desk")
        XCTAssertEqual(tweet?.date, "2021-08-21")
        XCTAssertEqual(EmbedExtractor.tweet(in: "Roads open - more soon - Traffic Desk (@traffic) May 3, 2021")?.author, "Traffic Desk",
                       "after hyphens, the signature's is the last")
        XCTAssertEqual(EmbedExtractor.tweet(in: "Roads open - more soon - Traffic Desk (@traffic) May 3, 2021")?.text, "Roads open - more soon")
    }

    func testFarYearDayHeaderBelowManyUpdatesIsPlacedAtOnce() throws {
        var lines = [" date 2021-05-12"]
        for n in 0..<50 { lines.append("\(String(format: "%02d", 23 - n % 24)):00 GMT – Update \(n)") }
        lines += ["Friday, December 31, 9999", "23:59 GMT – Far in the future"]
        let article = try normalize(lines)
        XCTAssertEqual(article.updates.count, 51)
        XCTAssertEqual(article.updates[49].time.rfc3339, "10000-01-01T22:00:00Z", "the first instant at its clock not older than the one below")
        XCTAssertTrue(zip(article.updates, article.updates.dropFirst()).allSatisfy { $0.time >= $1.time })
    }
}
