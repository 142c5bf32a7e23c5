import XCTest
@testable import Store

final class InstantTests: XCTestCase {
    func testFormatsRFC3339InUTC() {
        XCTAssertEqual(Instant(year: 2020, month: 2, day: 28, hour: 12)?.rfc3339, "2020-02-28T12:00:00Z")
        XCTAssertEqual(Instant(secondsSinceEpoch: 0).rfc3339, "1970-01-01T00:00:00Z")
        XCTAssertEqual(Instant(secondsSinceEpoch: -1).rfc3339, "1969-12-31T23:59:59Z")
        XCTAssertEqual(Instant(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59)?.rfc3339,
                       "2024-02-29T23:59:59Z")
    }

    /// Years of four digits are printed digit by digit, others the long way: both agree with
    /// the fields, and parse back.
    func testFormatsEveryYearWithItsFieldsPaddedToFourDigits() {
        for (year, text) in [(5, "0005"), (999, "0999"), (1000, "1000"), (9999, "9999"), (12021, "12021")] {
            let instant = try? XCTUnwrap(Instant(year: year, month: 7, day: 4, hour: 3, minute: 9, second: 58))
            XCTAssertEqual(instant?.rfc3339, "\(text)-07-04T03:09:58Z")
            XCTAssertEqual(instant?.civilDate.iso8601, "\(text)-07-04")
        }
        for seconds in stride(from: Int64(-40_000_000_000), through: 200_000_000_000, by: 7_777_777_777) {
            let instant = Instant(secondsSinceEpoch: seconds)
            if (0...9999).contains(instant.civilDate.year) {
                XCTAssertEqual(Instant(rfc3339: instant.rfc3339), instant, instant.rfc3339)
            }
        }
    }

    func testRefusesImpossibleFields() {
        XCTAssertNil(Instant(year: 2021, month: 2, day: 29))
        XCTAssertNil(Instant(year: 2020, month: 13, day: 1))
        XCTAssertNil(Instant(year: 2020, month: 1, day: 1, hour: 25))
        XCTAssertNil(Instant(year: 2020, month: 1, day: 1, hour: 23, minute: 61))
    }

    func testParsesWhatItPrintsAndConvertsOffsets() {
        for text in ["2020-02-28T12:00:00Z", "1999-12-31T23:59:59Z", "2000-02-29T00:00:00Z"] {
            XCTAssertEqual(Instant(rfc3339: text)?.rfc3339, text)
        }
        XCTAssertEqual(Instant(rfc3339: "2020-03-07T01:30:00+03:00")?.rfc3339, "2020-03-06T22:30:00Z")
        XCTAssertEqual(Instant(rfc3339: "2020-03-07T01:30:00.250Z")?.rfc3339, "2020-03-07T01:30:00Z")
        for bad in ["2020-02-28", "2020-02-28T12:00:00", "2020-02-30T12:00:00Z", "yesterday", "2020-02-28T12:00:00+3"] {
            XCTAssertNil(Instant(rfc3339: bad), bad)
        }
    }

    func testCivilDateRoundTripsAcrossCenturies() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = CivilDate(daysSinceEpoch: days)
            XCTAssertEqual(date.daysSinceEpoch, days)
        }
        XCTAssertEqual(CivilDate(year: 2020, month: 3, day: 1).daysSinceEpoch - CivilDate(year: 2020, month: 2, day: 28).daysSinceEpoch, 2)
    }

    func testCodableUsesTheRFC3339String() throws {
        let instant = try XCTUnwrap(Instant(year: 2019, month: 10, day: 9, hour: 21, minute: 40))
        let data = try JSONEncoder().encode([instant])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"2019-10-09T21:40:00Z\"]")
        XCTAssertEqual(try JSONDecoder().decode([Instant].self, from: data), [instant])
        XCTAssertThrowsError(try JSONDecoder().decode([Instant].self, from: Data("[\"soon\"]".utf8)))
    }
}
