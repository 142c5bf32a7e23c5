import XCTest
@testable import Store

final class EmbedTests: XCTestCase {
    func testTweetWithLinksAndSignature() throws {
        let paragraph = "Water is rising near the school. Stay away https://t.co/Ab12Cd pic.twitter.com/Zy98Xw – Mira Solen (@mirasolen) August 9, 2022"
        guard case .tweet(let tweet)? = EmbedExtractor.embed(in: paragraph) else { return XCTFail("not a tweet") }
        XCTAssertEqual(tweet.author, "Mira Solen")
        XCTAssertEqual(tweet.handle, "@mirasolen")
        XCTAssertEqual(tweet.date, "2022-08-09")
        XCTAssertEqual(tweet.text, "Water is rising near the school. Stay away https://t.co/Ab12Cd pic.twitter.com/Zy98Xw")
        XCTAssertEqual(tweet.links, ["https://t.co/Ab12Cd", "pic.twitter.com/Zy98Xw"])
    }

    func testTweetAuthorWithParenthesesAndNoLinks() throws {
        let paragraph = "Roads north of the river are closed - River Watch Service (RWS) (@rws_updates) March 3, 2021"
        guard case .tweet(let tweet)? = EmbedExtractor.embed(in: paragraph) else { return XCTFail("not a tweet") }
        XCTAssertEqual(tweet.author, "River Watch Service (RWS)")
        XCTAssertEqual(tweet.handle, "@rws_updates")
        XCTAssertEqual(tweet.links, [])
    }

    func testTweetTextThatHoldsADash() throws {
        let paragraph = "Day two – still no power in the east — Ola Berg (@olaberg) May 1, 2020"
        guard case .tweet(let tweet)? = EmbedExtractor.embed(in: paragraph) else { return XCTFail("not a tweet") }
        XCTAssertEqual(tweet.author, "Ola Berg")
        XCTAssertEqual(tweet.text, "Day two – still no power in the east")
    }

    func testVideoCaptionsInMinutesAndHours() {
        XCTAssertEqual(EmbedExtractor.embed(in: "Floods cut off the valley (4:07)"), .video(Video(title: "Floods cut off the valley", duration: 247)))
        XCTAssertEqual(EmbedExtractor.embed(in: "Inside the relief effort (1:02:03)"), .video(Video(title: "Inside the relief effort", duration: 3723)))
        XCTAssertEqual(EmbedExtractor.embed(in: "What comes next for the dam? (3:10)"), .video(Video(title: "What comes next for the dam?", duration: 190)))
    }

    func testProseIsNotAnEmbed() {
        XCTAssertNil(EmbedExtractor.embed(in: "The meeting ended at noon (local time)."))
        XCTAssertNil(EmbedExtractor.embed(in: "The ministers met for a long time and agreed on a date (12:30)."))
        XCTAssertNil(EmbedExtractor.embed(in: "Write to the council (@council) about it."))
    }
}
