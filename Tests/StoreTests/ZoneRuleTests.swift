import XCTest
@testable import Store

/// The tz rules of `zones.json`: offsets on both sides of each daylight-saving change.
final class ZoneRuleTests: XCTestCase {
    private let rules = ZoneWords.shared.rules

    private func utc(_ text: String) -> Instant { Instant(rfc3339: text)! }

    /// The UTC time of a wall clock in a region, as RFC 3339.
    private func fromLocal(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, in region: String) -> String {
        let local = Instant(year: year, month: month, day: day, hour: hour, minute: minute)!.secondsSinceEpoch
        return rules.instant(localSeconds: local, in: .region(region)).rfc3339
    }

    func testNewYorkIsFiveHoursBehindInWinterAndFourInSummer() {
        XCTAssertEqual(rules.offsetMinutes(of: .region("America/New_York"), at: utc("2020-01-08T03:39:00Z")), -300)
        XCTAssertEqual(rules.offsetMinutes(of: .region("America/New_York"), at: utc("2021-08-15T12:00:00Z")), -240)
    }

    func testUnitedStatesChangeOnTheSecondSundayOfMarchAndTheFirstOfNovember() {
        // 2021: 14 March 02:00 EST (07:00Z) and 7 November 02:00 EDT (06:00Z).
        XCTAssertEqual(rules.offsetMinutes(of: .region("America/New_York"), at: utc("2021-03-14T06:59:00Z")), -300)
        XCTAssertEqual(rules.offsetMinutes(of: .region("America/New_York"), at: utc("2021-03-14T07:00:00Z")), -240)
        XCTAssertEqual(rules.offsetMinutes(of: .region("America/New_York"), at: utc("2021-11-07T05:59:00Z")), -240)
        XCTAssertEqual(rules.offsetMinutes(of: .region("America/New_York"), at: utc("2021-11-07T06:00:00Z")), -300)
        XCTAssertEqual(fromLocal(2021, 3, 13, 22, 0, in: "America/New_York"), "2021-03-14T03:00:00Z")
        XCTAssertEqual(fromLocal(2021, 3, 14, 22, 0, in: "America/New_York"), "2021-03-15T02:00:00Z")
        // Before 2007 the change came on the first Sunday of April.
        XCTAssertEqual(fromLocal(2005, 3, 20, 12, 0, in: "America/New_York"), "2005-03-20T17:00:00Z")
        XCTAssertEqual(fromLocal(2005, 4, 10, 12, 0, in: "America/New_York"), "2005-04-10T16:00:00Z")
    }

    func testLondonKeepsBritishSummerTimeFromTheLastSundayOfMarchToTheLastOfOctober() {
        // 2022: 27 March and 30 October, at 01:00 UTC.
        XCTAssertEqual(rules.offsetMinutes(of: .region("Europe/London"), at: utc("2022-03-27T00:59:00Z")), 0)
        XCTAssertEqual(rules.offsetMinutes(of: .region("Europe/London"), at: utc("2022-03-27T01:00:00Z")), 60)
        XCTAssertEqual(rules.offsetMinutes(of: .region("Europe/London"), at: utc("2022-10-30T00:59:00Z")), 60)
        XCTAssertEqual(rules.offsetMinutes(of: .region("Europe/London"), at: utc("2022-10-30T01:00:00Z")), 0)
        XCTAssertEqual(fromLocal(2022, 7, 4, 13, 57, in: "Europe/London"), "2022-07-04T12:57:00Z")
        XCTAssertEqual(fromLocal(2022, 12, 4, 13, 57, in: "Europe/London"), "2022-12-04T13:57:00Z")
    }

    func testJerusalemStartsOnTheFridayBeforeTheLastSundayOfMarch() {
        // 2023: Friday 24 March 02:00 local; Sunday 29 October 02:00 local.
        XCTAssertEqual(fromLocal(2023, 3, 23, 12, 0, in: "Asia/Jerusalem"), "2023-03-23T10:00:00Z")
        XCTAssertEqual(fromLocal(2023, 3, 24, 12, 0, in: "Asia/Jerusalem"), "2023-03-24T09:00:00Z")
        XCTAssertEqual(fromLocal(2023, 10, 28, 12, 0, in: "Asia/Jerusalem"), "2023-10-28T09:00:00Z")
        XCTAssertEqual(fromLocal(2023, 10, 29, 12, 0, in: "Asia/Jerusalem"), "2023-10-29T10:00:00Z")
    }

    func testSouthernSummerSpansTheNewYear() {
        // Sydney: daylight saving from the first Sunday of October to the first Sunday of April.
        XCTAssertEqual(rules.offsetMinutes(of: .region("Australia/Sydney"), at: utc("2022-01-15T00:00:00Z")), 660)
        XCTAssertEqual(rules.offsetMinutes(of: .region("Australia/Sydney"), at: utc("2022-06-15T00:00:00Z")), 600)
        XCTAssertEqual(rules.offsetMinutes(of: .region("Australia/Sydney"), at: utc("2022-12-15T00:00:00Z")), 660)
    }

    func testEraEndsWhenAStateAbolishesTheChange() {
        // Turkey kept summer time from 2016 on: UTC+3 in winter too.
        XCTAssertEqual(rules.offsetMinutes(of: .region("Europe/Istanbul"), at: utc("2015-01-10T12:00:00Z")), 120)
        XCTAssertEqual(rules.offsetMinutes(of: .region("Europe/Istanbul"), at: utc("2015-07-10T12:00:00Z")), 180)
        XCTAssertEqual(rules.offsetMinutes(of: .region("Europe/Istanbul"), at: utc("2020-01-10T12:00:00Z")), 180)
    }

    func testIndiaHasAFixedHalfHourOffset() {
        XCTAssertEqual(fromLocal(2021, 8, 21, 8, 37, in: "Asia/Kolkata"), "2021-08-21T03:07:00Z")
    }

    func testTzDayNotation() {
        XCTAssertEqual(ZoneRules.day("lastSun", month: 3, year: 2024), CivilDate(year: 2024, month: 3, day: 31))
        XCTAssertEqual(ZoneRules.day("Sun>=8", month: 3, year: 2024), CivilDate(year: 2024, month: 3, day: 10))
        XCTAssertEqual(ZoneRules.day("Fri>=23", month: 3, year: 2024), CivilDate(year: 2024, month: 3, day: 29))
        XCTAssertEqual(ZoneRules.day("21", month: 9, year: 2020), CivilDate(year: 2020, month: 9, day: 21))
        XCTAssertNil(ZoneRules.day("Sun>=40", month: 3, year: 2024))
        XCTAssertEqual(CivilDate(year: 1970, month: 1, day: 1).weekday, 4)
        XCTAssertEqual(CivilDate(year: 1969, month: 12, day: 28).weekday, 7)
    }
}
