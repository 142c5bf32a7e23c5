import XCTest
@testable import Store

final class EmbedRuleTests: XCTestCase {
    func testTweetWithLinks() throws {
        let tweet = try XCTUnwrap(EmbedExtractor.tweet(in:
            "Crews are clearing the road now, expect delays https://t.co/Zx81Qa pic.twitter.com/Pq7Lm2 – Mara Oduya (@mara_oduya) April 3, 2021"))
        XCTAssertEqual(tweet.author, "Mara Oduya")
        XCTAssertEqual(tweet.handle, "@mara_oduya")
        XCTAssertEqual(tweet.date, "2021-04-03")
        XCTAssertEqual(tweet.text, "Crews are clearing the road now, expect delays https://t.co/Zx81Qa pic.twitter.com/Pq7Lm2")
        XCTAssertEqual(tweet.links, ["https://t.co/Zx81Qa", "pic.twitter.com/Pq7Lm2"])
    }

    func testTweetAuthorWithParenthesesAndNoLinks() throws {
        let tweet = try XCTUnwrap(EmbedExtractor.tweet(in:
            "Shelters are open in all districts tonight. — River Rescue Service (RRS) (@rrs_alerts) November 30, 2020"))
        XCTAssertEqual(tweet.author, "River Rescue Service (RRS)")
        XCTAssertEqual(tweet.handle, "@rrs_alerts")
        XCTAssertEqual(tweet.date, "2020-11-30")
        XCTAssertEqual(tweet.text, "Shelters are open in all districts tonight.")
        XCTAssertEqual(tweet.links, [])
    }

    func testTweetWithHyphenSignatureAndHyphenatedName() throws {
        let tweet = try XCTUnwrap(EmbedExtractor.tweet(in:
            "Polls close at eight - Anne-Marie Lefort (@amlefort) 2 May 2021"))
        XCTAssertEqual(tweet.author, "Anne-Marie Lefort")
        XCTAssertEqual(tweet.text, "Polls close at eight")
        XCTAssertEqual(tweet.date, "2021-05-02")
    }

    func testNotATweet() {
        XCTAssertNil(EmbedExtractor.tweet(in: "The minister (@minister on Twitter) spoke on May 3, 2021."))
        XCTAssertNil(EmbedExtractor.tweet(in: "A reporter wrote – see her account (@reporter)"))
    }

    func testVideoMinutesSeconds() throws {
        let video = try XCTUnwrap(EmbedExtractor.video(in: "Floods cut off villages in the north (4:07)"))
        XCTAssertEqual(video.title, "Floods cut off villages in the north")
        XCTAssertEqual(video.duration, 247)
    }

    func testVideoHoursMinutesSeconds() throws {
        let video = try XCTUnwrap(EmbedExtractor.video(in: "Inside Story: who pays for the dams? (1:02:05)"))
        XCTAssertEqual(video.title, "Inside Story: who pays for the dams?")
        XCTAssertEqual(video.duration, 3725)
    }

    func testVideoTitleMayEndWithAnEllipsis() throws {
        XCTAssertEqual(try XCTUnwrap(EmbedExtractor.video(in: "Will the ceasefire hold... (3:05)")).title,
                       "Will the ceasefire hold...")
    }

    func testSentencesWithParenthesizedTimesAreNotVideos() {
        XCTAssertNil(EmbedExtractor.video(in: "The vote is expected at noon local time (10:00)."))
        XCTAssertNil(EmbedExtractor.video(in: "Officials said the count had ended. The results come later (10:00)"))
        XCTAssertNil(EmbedExtractor.video(in: "The runner finished in record time, (2:59)"))
        XCTAssertNil(EmbedExtractor.video(in: String(repeating: "a long paragraph of ordinary prose ", count: 8) + "(2:59)"))
        XCTAssertNil(EmbedExtractor.video(in: "Kick-off is at 20:45 local time (18:45)"))
        XCTAssertNil(EmbedExtractor.video(in: "A clip (5:75)"))
        XCTAssertNil(EmbedExtractor.video(in: "Talks resumed (briefly)"))
    }

    func testEmbedPrefersTweetOverVideo() {
        guard case .tweet? = EmbedExtractor.embed(in: "Watch this (0:45) – Kofi Mensah (@kofimensah) June 1, 2021")
        else { return XCTFail("a signed paragraph is a tweet") }
    }
}
