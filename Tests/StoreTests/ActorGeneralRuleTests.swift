import XCTest
@testable import Store

/// The actor rules that must hold on any outlet's pages (issue 10), each on sentences
/// written for it: names with conjunctions, punctuated acronyms, sub-national governments,
/// stacked titles, de facto authorities, and the one tokenizer's word boundaries.
final class ActorGeneralRuleTests: XCTestCase {
    func testAnOrganizationsNameKeepsItsAndOfAndFor() {
        let fixture = ExtractionFixture(body: ["The Institute for Peace and Conflict Studies said the talks had stalled."])
        XCTAssertEqual(fixture.actors, ["institute-for-peace-and-conflict-studies"])
    }

    func testAndBetweenTwoInstitutionsStillSeparatesThem() {
        let fixture = ExtractionFixture(body: ["The Mining Ministry and the Harbour Workers Union met on Friday."])
        XCTAssertEqual(fixture.actors, ["mining-ministry", "harbour-workers-union"])
    }

    func testAStateAndAnInstitutionJoinedByAndAreTwoActors() {
        let fixture = ExtractionFixture(body: ["Chile and Andean Relief Society volunteers cleared the road."])
        XCTAssertEqual(fixture.actors, ["chile", "andean-relief-society"])
    }

    func testAcronymsWithAnAmpersandOrAPlusAreCompanies() {
        let fixture = ExtractionFixture(body: ["Q&R Shipping, which runs the ferries, said two vessels were damaged."])
        XCTAssertEqual(fixture.actors, ["q-r-shipping"])
        XCTAssertEqual(fixture.record("q-r-shipping")?.kind, .organization)
        XCTAssertEqual(Tokenizer.words(of: "Q&R and AT&T, Canal+ at GMT+3"), ["Q&R", "and", "AT&T", "Canal+", "at", "GMT", "3"])
    }

    func testASubNationalGovernmentThatActsIsAnOrganization() {
        let fixture = ExtractionFixture(body: ["Manitoba has banned gatherings of more than ten people."])
        XCTAssertEqual(fixture.actors, ["manitoba"])
        XCTAssertEqual(fixture.record("manitoba")?.kind, .organization)
        let aside = ExtractionFixture(body: ["Saskatchewan, the prairie province, ordered schools closed."])
        XCTAssertEqual(aside.actors, ["saskatchewan"])
        let government = ExtractionFixture(body: ["The Queensland government will reopen the border."])
        XCTAssertEqual(government.actors, ["queensland"])
    }

    func testASubNationalUnitNamedOnlyAsAPlaceIsNotAnActor() {
        let fixture = ExtractionFixture(body: ["Tourists flocked to Manitoba and stayed in Saskatchewan for the summer."])
        XCTAssertEqual(fixture.actors, [])
    }

    func testATerritoryNamedOnlyAsAPlaceIsNotAnActor() {
        let fixture = ExtractionFixture(body: ["Crowds gathered in Hong Kong on Sunday."])
        XCTAssertEqual(fixture.actors, [])
    }

    func testStackedTitlesAndAnHonorificBeforeANameMakeOnePersonWithThatRole() throws {
        let fixture = ExtractionFixture(body: ["County Health Department Director Dr Maria Okafor said the clinic would open."])
        XCTAssertTrue(fixture.actors.contains("maria-okafor"), "\(fixture.actors)")
        let person = try XCTUnwrap(fixture.record("maria-okafor"))
        XCTAssertEqual(person.roles, ["County Health Department Director"])
        XCTAssertFalse(fixture.actors.contains { $0.contains("director") }, "\(fixture.actors)")
    }

    func testADeFactoAuthorityWithItsOwnArmyIsAGroup() {
        let fixture = ExtractionFixture(body: ["The self-declared Republic of Ambazonia said its fighters held the bridge."])
        XCTAssertEqual(fixture.actors, ["republic-of-ambazonia"])
        XCTAssertEqual(fixture.record("republic-of-ambazonia")?.kind, .group)
        let known = ExtractionFixture(body: ["Artsakh said its army repelled an attack."])
        XCTAssertEqual(known.record("artsakh")?.kind, .group)
    }

    func testAnInitialBeforeASurnameIsAName() {
        let fixture = ExtractionFixture(body: ["\"We came to see the parade with our grandchildren,\" added T Okonjo, 61."])
        XCTAssertEqual(fixture.actors, ["t-okonjo"])
        XCTAssertEqual(fixture.quotes.map(\.actor), ["t-okonjo"])
    }

    func testAHeadlineOpeningWithANameAndAColonIsThatPersonsWords() {
        let fixture = ExtractionFixture(headline: "Okafor: the clinic will open on Monday", body: ["The clinic was closed for a week."])
        XCTAssertEqual(fixture.actors, ["okafor"])
        XCTAssertEqual(fixture.record("okafor")?.kind, .person)
    }

    func testKinshipWordsBeforeAGivenNameMakeAPerson() {
        let fixture = ExtractionFixture(body: ["Tomas Berg said his wife Ingrid was safe."])
        XCTAssertEqual(fixture.actors, ["tomas-berg", "ingrid"])
    }

    func testTheIndexAndTheExtractorSplitWordsTheSameWay() {
        let words = TextFolding.words(in: "Ankara's al-Sham U.S. Q&R")
        for token in Tokenizer.tokens(of: "Ankara's al-Sham U.S. Q&R") where token.isWord {
            XCTAssertTrue(words.contains(token.folded), "\(token.folded) not in \(words)")
        }
        XCTAssertTrue(words.contains("ankara") && words.contains("sham"), "\(words)")
    }
}
