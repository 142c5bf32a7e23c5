import XCTest
@testable import Store

/// Each quote shape on sentences written for these tests.
final class QuoteExtractionTests: XCTestCase {
    private func quotes(_ body: [String], headline: String = "Talks go on") -> [Quote] {
        let update = Update(id: "q/2022-01-01T00:00:00Z", time: Instant(secondsSinceEpoch: 0), article: "q",
                            headline: headline, body: body)
        return ActorExtractor().annotate(Article(id: "q", date: "2022-01-01", lede: [], updates: [update], actors: []))
            .updates[0].quotes
    }

    func testSaysXAndXSaidAfterTheQuote() {
        XCTAssertEqual(quotes(["\"The bridge will open next week,\" says Transport Minister Aino Valtonen."]),
                       [Quote(actor: "aino-valtonen", text: "The bridge will open next week")])
        XCTAssertEqual(quotes(["Transport Minister Aino Valtonen spoke.", "\"We have money for every road,\" Valtonen said."]),
                       [Quote(actor: "aino-valtonen", text: "We have money for every road")])
    }

    func testToldReportersAndAccordingTo() {
        XCTAssertEqual(quotes(["\"Nobody will be left behind here,\" Mayor Jonas Lind told reporters."]).map(\.actor), ["jonas-lind"])
        XCTAssertEqual(quotes(["\"The water is clean again now,\" according to Petra Olsen, an engineer."]).map(\.actor), ["petra-olsen"])
    }

    func testAPronounAfterANamedSpeakerAndAStandaloneFollowOn() {
        let result = quotes(["Prime Minister Sara Holm opened the session.",
                             "\"This is a day for the whole country,\" she said.",
                             "\"We waited a long time for it.\""])
        XCTAssertEqual(result, [Quote(actor: "sara-holm", text: "This is a day for the whole country"),
                                Quote(actor: "sara-holm", text: "We waited a long time for it.")])
    }

    func testAQuoteSplitByItsAttributionIsTwoQuotes() {
        let result = quotes(["\"The first ships are already loading,\" says Ole Brandt, a port official. \"More will follow tomorrow morning.\""])
        XCTAssertEqual(result, [Quote(actor: "ole-brandt", text: "The first ships are already loading"),
                                Quote(actor: "ole-brandt", text: "More will follow tomorrow morning.")])
    }

    func testAPartialQuoteBelongsToTheSentencesSubject() {
        let result = quotes(["Envoy Mara Voss warned of \"a long and costly winter for everyone\" if talks fail."])
        XCTAssertEqual(result, [Quote(actor: "mara-voss", text: "a long and costly winter for everyone")])
    }

    func testOrganizationsAndStatesSpeak() {
        XCTAssertEqual(quotes(["The World Food Programme asked for boats.",
                               "\"Our stocks will last for ten more days,\" the agency said."]).map(\.actor),
                       ["world-food-programme"])
        XCTAssertEqual(quotes(["Fighting went on near the border with Peru.",
                               "\"Our units hold every position along the river,\" the Chilean army said."]).map(\.actor),
                       ["chile"])
    }

    func testWhatIsNotAQuote() {
        XCTAssertEqual(quotes(["\"Far too late,\" said Aino Valtonen."]), [], "fewer than four words")
        XCTAssertEqual(quotes(["\"The shelling went on all night long,\" a resident told reporters."]), [], "an unnamed speaker")
        XCTAssertEqual(quotes(["Officials called it a 'technical pause in the talks' on Monday."]), [], "single quotes")
        XCTAssertEqual(quotes([], headline: "Valtonen: \"we will rebuild every road\""), [], "headlines hold no quotes")
    }
}
