import XCTest
@testable import Store

/// One test per quote shape of FORMAT.md ("Quotes"), each on sentences written for it.
final class QuoteShapeTests: XCTestCase {
    private let intro = "Chilean Foreign Minister Ana Soto spoke in Santiago on Tuesday."

    func testSaysAfterTheQuote() {
        let fixture = ExtractionFixture(body: [intro, "\"The border will reopen on Friday morning,\" says Ana Soto."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: The border will reopen on Friday morning"])
    }

    func testNameThenSaidAfterTheQuote() {
        let fixture = ExtractionFixture(body: [intro, "\"We expect a reply within the week,\" Soto said."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: We expect a reply within the week"])
    }

    func testSpeakerWithAppositionBeforeTheVerb() {
        let fixture = ExtractionFixture(body: ["\"No convoy has crossed since Sunday night,\" Lars Holm, a spokesman for the relief agency, said."])
        XCTAssertEqual(fixture.quoteLines, ["lars-holm: No convoy has crossed since Sunday night"])
    }

    func testSaysBeforeATitledSpeakerIsThePersonNotTheStateInTheTitle() {
        let fixture = ExtractionFixture(body: [
            "\"These claims have no basis in fact at all,\" said Chilean foreign ministry spokeswoman Ana Soto.",
            "\"The vote will be held on the agreed date,\" said the electoral commission spokesman, Pablo Reyes.",
        ])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: These claims have no basis in fact at all",
                                            "pablo-reyes: The vote will be held on the agreed date"])
    }

    func testToldReporters() {
        let fixture = ExtractionFixture(body: [intro, "\"Nobody here wants a longer war,\" Soto told reporters."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: Nobody here wants a longer war"])
    }

    func testSpeakerAndColonBeforeTheQuote() {
        let fixture = ExtractionFixture(body: ["Ana Soto said: \"Our embassy will stay open for now.\""])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: Our embassy will stay open for now."])
    }

    func testPronounAndColonBeforeTheQuote() {
        let fixture = ExtractionFixture(body: [intro, "She added: \"The embassy staff are all safe and accounted for.\""])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: The embassy staff are all safe and accounted for."])
    }

    func testDescriptionAndColonBeforeTheQuote() {
        let fixture = ExtractionFixture(body: ["The Chilean navy said on Monday that a trawler had sunk.",
                                               "The navy said: \"All eleven crew members were rescued alive.\""])
        XCTAssertEqual(fixture.quoteLines, ["chile: All eleven crew members were rescued alive."])
    }

    func testAccordingTo() {
        let fixture = ExtractionFixture(body: [intro, "\"The ships will be inspected at sea,\" according to Soto."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: The ships will be inspected at sea"])
    }

    func testPronounAfterANamedSpeaker() {
        let fixture = ExtractionFixture(body: [intro, "\"The delegation leaves tonight for the north,\" she said."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: The delegation leaves tonight for the north"])
    }

    func testTitleAfterANamedSpeaker() {
        let fixture = ExtractionFixture(body: [intro, "\"We will not be rushed into signing,\" the minister said."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: We will not be rushed into signing"])
    }

    func testQuotedParagraphStandingAloneContinuesTheLastSpeaker() {
        let fixture = ExtractionFixture(body: [
            intro,
            "\"The talks were long and difficult,\" Soto said.",
            "\"But in the end both sides found enough common ground.\"",
        ])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: The talks were long and difficult",
                                            "ana-soto: But in the end both sides found enough common ground."])
    }

    func testQuotationLeftOpenRunsIntoTheNextParagraphsSpeaker() {
        let fixture = ExtractionFixture(body: [
            intro,
            "\"The port will reopen to all ships by the end of the month, as we promised.",
            "\"Nobody will be charged any extra fees for the delay,\" Soto said.",
        ])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: The port will reopen to all ships by the end of the month, as we promised.",
                                            "ana-soto: Nobody will be charged any extra fees for the delay"])
    }

    func testQuoteSplitByItsAttributionIsTwoQuotes() {
        let fixture = ExtractionFixture(body: [intro, "\"We have waited long enough,\" Soto said. \"Now the other side must move.\""])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: We have waited long enough", "ana-soto: Now the other side must move."])
    }

    func testPartialQuoteInReportedSpeechBelongsToTheSubject() {
        let fixture = ExtractionFixture(body: ["Ana Soto warned of \"a very long and costly standoff\" if talks failed."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: a very long and costly standoff"])
    }

    func testTwoSpeakersInOneUpdate() {
        let fixture = ExtractionFixture(body: [
            intro,
            "\"We want the corridor open by the weekend,\" Soto said.",
            "\"That timetable is simply not realistic,\" said Tomas Berg, Sweden's trade minister.",
        ])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: We want the corridor open by the weekend",
                                            "tomas-berg: That timetable is simply not realistic"])
    }

    func testOrganizationSpeaks() {
        let fixture = ExtractionFixture(body: [
            "The World Food Programme said stocks were running low.",
            "\"We will run out of flour within ten days,\" the agency said.",
        ])
        XCTAssertEqual(fixture.quoteLines, ["world-food-programme: We will run out of flour within ten days"])
    }

    func testTheStatementSaidIsTheIssuerNamedBefore() {
        let fixture = ExtractionFixture(body: ["The Norwegian Refugee Council issued a statement on Monday.",
                                               "\"Families are sleeping in the open in freezing weather,\" the statement said."])
        XCTAssertEqual(fixture.quoteLines, ["norwegian-refugee-council: Families are sleeping in the open in freezing weather"])
    }

    func testItAfterAnOrganizationIsTheOrganization() {
        let fixture = ExtractionFixture(body: [intro, "Oxfam warned on Tuesday that food prices were rising fast.",
                                               "\"Millions more people will go hungry this winter,\" it said."])
        XCTAssertEqual(fixture.quoteLines, ["oxfam: Millions more people will go hungry this winter"])
    }

    func testTheyAfterAGroupIsTheGroup() {
        let fixture = ExtractionFixture(body: [intro, "The Taliban rejected the offer on Wednesday.",
                                               "\"Foreign forces must leave before any talks begin,\" they said."])
        XCTAssertEqual(fixture.quoteLines, ["taliban: Foreign forces must leave before any talks begin"])
    }

    func testStateArmyQuotedMakesTheStateTheSpeaker() {
        let fixture = ExtractionFixture(body: ["\"Two drones were shot down over the border,\" the Indian army said."])
        XCTAssertEqual(fixture.quoteLines, ["india: Two drones were shot down over the border"])
    }

    func testCurlyQuotesAreQuotesToo() {
        let fixture = ExtractionFixture(body: [intro, "\u{201C}The answer is still no, and it will stay no,\u{201D} Soto said."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: The answer is still no, and it will stay no"])
    }

    func testFewerThanFourWordsIsNotAQuote() {
        let fixture = ExtractionFixture(body: [intro, "Soto called the offer \"quite unacceptable\" on Tuesday.", "\"Not today,\" Soto said."])
        XCTAssertEqual(fixture.quoteLines, [])
    }

    func testUnnamedSpeakerIsNotQuoted() {
        let fixture = ExtractionFixture(body: [
            "\"The shelling went on all night long,\" a nurse told local television.",
            "\"We have nothing left to eat here,\" one resident said.",
        ])
        XCTAssertEqual(fixture.quoteLines, [])
    }

    func testSingleQuotedLabelIsNotAQuote() {
        let fixture = ExtractionFixture(body: [intro, "Soto called the plan 'a dangerous and reckless gamble' in parliament."])
        XCTAssertEqual(fixture.quoteLines, [])
    }

    func testQuotedWordsInTheHeadlineAreNotQuotes() {
        let fixture = ExtractionFixture(headline: "Soto: \"We will never accept these terms\"", body: [intro])
        XCTAssertEqual(fixture.quoteLines, [])
    }

    func testTweetTextIsNotAQuote() {
        let tweet = ExtractionFixture.tweet("\"We stand with the families of the victims,\" we said today.", author: "Ana Soto",
                                            handle: "@anasoto")
        let fixture = ExtractionFixture(body: [intro], embeds: [tweet])
        XCTAssertEqual(fixture.quoteLines, [])
    }

    func testTrailingCommaOfTheAttributionIsDropped() {
        let fixture = ExtractionFixture(body: [intro, "\"Everything is on the table, everything,\" Soto said."])
        XCTAssertEqual(fixture.quotes.first?.text, "Everything is on the table, everything")
    }

    func testMismatchedClosingMarkStillEndsTheQuote() {
        let fixture = ExtractionFixture(body: [intro, "\u{201C}We will not sign a text that changes the border,\u{2019} Soto said."])
        XCTAssertEqual(fixture.quoteLines, ["ana-soto: We will not sign a text that changes the border"])
    }

    func testAClauseGoingOnAfterAPartialQuoteIsNotItsAttribution() {
        let fixture = ExtractionFixture(body: [
            "Peru said it was \"working hard to bring every citizen home\" from Chile, a spokesman for the Ministry of Fisheries told reporters.",
        ])
        XCTAssertEqual(fixture.quoteLines, ["peru: working hard to bring every citizen home"])
    }

    func testAnUnnamedSpokespersonSpeaksForWhomTheyWereIntroducedBy() {
        let fixture = ExtractionFixture(body: [
            "A spokeswoman for the Red Cross confirmed the convoy had left.",
            "\"Our teams will reach the valley before nightfall,\" the spokeswoman said.",
        ])
        XCTAssertEqual(fixture.quoteLines, ["icrc: Our teams will reach the valley before nightfall"])
    }

    func testANameAfterAQuoteAndACommaDescriptionSpeaks() {
        let fixture = ExtractionFixture(body: [
            "\"We hope the trucks can cross tomorrow morning,\" regional aid coordinator for the crisis, Lena Marsh, told reporters.",
        ])
        XCTAssertEqual(fixture.quoteLines, ["lena-marsh: We hope the trucks can cross tomorrow morning"])
    }
}
