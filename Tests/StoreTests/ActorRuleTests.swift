import XCTest
@testable import Store

/// One test per actor rule of FORMAT.md ("Actors"), each on sentences written for it.
final class ActorRuleTests: XCTestCase {
    // MARK: - States under every name

    func testCountryNameNamesTheState() {
        let fixture = ExtractionFixture(body: ["Chile and Peru signed a fisheries agreement on Thursday."])
        XCTAssertEqual(fixture.actors, ["chile", "peru"])
        XCTAssertEqual(fixture.record("chile")?.kind, .country)
    }

    func testDemonymNamesTheState() {
        let fixture = ExtractionFixture(body: ["Mongolian herders and Kazakh officials met to discuss grazing rights."])
        XCTAssertTrue(fixture.actors.contains("mongolia"), "\(fixture.actors)")
        XCTAssertTrue(fixture.actors.contains("kazakhstan"), "\(fixture.actors)")
    }

    func testAdjectiveDemonymsBesideTheNounForms() {
        let fixture = ExtractionFixture(body: ["Argentine and Philippine diplomats met Kazakh and Bosnian officials."])
        XCTAssertEqual(fixture.actors, ["argentina", "philippines", "kazakhstan", "bosnia-and-herzegovina"])
    }

    func testDemonymsAndSeatsTheSourceLacks() {
        let fixture = ExtractionFixture(body: ["Slovenian and Icelandic ministers met; Kiev said it welcomed the talks."])
        XCTAssertEqual(fixture.actors, ["slovenia", "iceland", "ukraine"])
    }

    func testADemonymSharedByTwoEntriesNamesTheMorePopulousState() {
        let fixture = ExtractionFixture(body: ["Dominican police and American officials seized the boat; Congolese troops were not involved."])
        XCTAssertEqual(fixture.actors, ["dominican-republic", "united-states", "democratic-republic-of-the-congo"])
    }

    func testAlternativeAndShortNamesAreTheSameState() {
        let fixture = ExtractionFixture(body: ["Britain and the UK's allies backed the plan.", "The U.S. and America's partners abstained."])
        XCTAssertEqual(fixture.actors, ["united-kingdom", "united-states"])
        XCTAssertEqual(fixture.record("united-kingdom")?.mentions, 2)
    }

    func testCapitalAsMetonymIsTheState() {
        let fixture = ExtractionFixture(body: ["Canberra said it would expel two diplomats, while Wellington urged calm."])
        XCTAssertEqual(fixture.actors, ["australia", "new-zealand"])
        XCTAssertTrue(fixture.record("australia")?.aliases.contains("Canberra") == true)
    }

    func testGovernmentBuildingAsMetonymIsTheState() {
        let fixture = ExtractionFixture(body: ["The Kremlin denied the report and the White House declined to comment."])
        XCTAssertEqual(fixture.actors, ["russia", "united-states"])
    }

    func testTheGovernmentArmyOrRegimeOfAStateIsTheState() {
        let fixture = ExtractionFixture(body: ["The Peruvian government declared an emergency after the Bolivian army closed the road."])
        XCTAssertEqual(fixture.actors, ["peru", "bolivia"])
    }

    func testArmedForcesNamedByTheirOwnNamesAreTheirState() {
        let fixture = ExtractionFixture(body: ["The IDF said it struck a depot, and the IRGC said it fired at a drone."])
        XCTAssertEqual(fixture.actors, ["israel", "iran"])
    }

    func testMinistryOfAStateIsTheState() {
        let fixture = ExtractionFixture(body: [
            "The Nigerian Ministry of Defence said the base had been retaken.",
            "Norway's foreign ministry summoned the envoy.",
        ])
        XCTAssertEqual(fixture.actors, ["nigeria", "norway"])
        XCTAssertNil(fixture.article.actors.first { $0.kind == .organization }, "a ministry is its state, not an organization")
    }

    // MARK: - Places are not actors

    func testCapitalNamedAsAPlaceIsNotAnActor() {
        let fixture = ExtractionFixture(body: ["Delegates gathered in Canberra for a summit on fishing quotas."])
        XCTAssertFalse(fixture.actors.contains("australia"), "\(fixture.actors)")
    }

    func testCapitalExplainedAsTheCapitalOfAStateIsAPlace() {
        let fixture = ExtractionFixture(body: ["The talks opened in Lima, the capital of Peru, on Monday."])
        XCTAssertTrue(fixture.actors.allSatisfy { $0 == "peru" }, "Lima is a place here: \(fixture.actors)")
    }

    func testCapitalFollowedByACityWordIsTheCity() {
        let fixture = ExtractionFixture(body: ["Nairobi Governor Jane Wambui said flights from Nairobi airport resumed."])
        XCTAssertFalse(fixture.actors.contains("kenya"), "\(fixture.actors)")
        XCTAssertTrue(fixture.actors.contains("jane-wambui"), "\(fixture.actors)")
    }

    func testCitiesAndRegionsAreNotActors() {
        let fixture = ExtractionFixture(body: ["Floods cut roads between Mombasa and Kisumu and reached the Rift Valley."])
        XCTAssertEqual(fixture.actors, [])
    }

    func testDemonymNamingALanguageIsNotTheState() {
        let fixture = ExtractionFixture(body: ["The town is called Gyumri in Armenian."])
        XCTAssertFalse(fixture.actors.contains("armenia"), "\(fixture.actors)")
    }

    // MARK: - Persons

    func testTitleBeforeANameMakesAPersonWithRoleAndAffiliation() throws {
        let fixture = ExtractionFixture(body: ["Argentine Economy Minister Sergio Massa announced new price controls."])
        XCTAssertEqual(fixture.actors, ["argentina", "sergio-massa"])
        let person = try XCTUnwrap(fixture.record("sergio-massa"))
        XCTAssertEqual(person.name, "Sergio Massa")
        XCTAssertEqual(person.kind, .person)
        XCTAssertEqual(person.roles, ["Argentine Economy Minister"])
        XCTAssertEqual(person.affiliation, "argentina")
        XCTAssertTrue(person.aliases.contains("Massa"))
    }

    func testMultiWordStateInATitle() throws {
        let fixture = ExtractionFixture(body: ["Sri Lankan Prime Minister Dinesh Gunawardena and New Zealand Foreign Minister Nanaia Mahuta met."])
        XCTAssertEqual(fixture.record("dinesh-gunawardena")?.roles, ["Sri Lankan Prime Minister"])
        XCTAssertEqual(fixture.record("dinesh-gunawardena")?.affiliation, "sri-lanka")
        XCTAssertEqual(fixture.record("nanaia-mahuta")?.roles, ["New Zealand Foreign Minister"])
        XCTAssertEqual(fixture.record("nanaia-mahuta")?.affiliation, "new-zealand")
    }

    func testOrganizationTitleGivesTheOrganizationAsAffiliation() throws {
        let fixture = ExtractionFixture(body: ["IAEA Director General Rafael Grossi arrived at the plant."])
        let person = try XCTUnwrap(fixture.record("rafael-grossi"))
        XCTAssertEqual(person.affiliation, "iaea")
        XCTAssertEqual(person.roles, ["IAEA Director General"])
    }

    func testAppositionAfterANameMakesAPerson() throws {
        let fixture = ExtractionFixture(body: ["Linda Thomas-Greenfield, the US ambassador to the United Nations, called for a vote."])
        let person = try XCTUnwrap(fixture.record("linda-thomas-greenfield"), "\(fixture.actors)")
        XCTAssertEqual(person.name, "Linda Thomas-Greenfield")
        XCTAssertEqual(person.affiliation, "united-states")
        XCTAssertEqual(person.roles.first?.hasPrefix("US ambassador"), true, "\(person.roles)")
    }

    func testDescriptionBeforeACommaAndANameMakesAPerson() throws {
        let fixture = ExtractionFixture(body: ["Chile's ambassador to the UN, Paula Narvaez, said the vote was a turning point."])
        let person = try XCTUnwrap(fixture.record("paula-narvaez"), "\(fixture.actors)")
        XCTAssertEqual(person.affiliation, "chile")
    }

    func testNameAfterASpeechVerbIsAPersonInNoGazetteer() {
        let fixture = ExtractionFixture(body: ["The water is still rising, says Oluwaseun Adeyemi, who runs a shelter in the district."])
        XCTAssertEqual(fixture.actors, ["oluwaseun-adeyemi"])
    }

    func testNameAfterAPossessiveStateOrOrganizationIsAPerson() {
        let fixture = ExtractionFixture(body: ["Hungary's Viktor Orban and Reuters's Mia Lund both arrived late."])
        XCTAssertEqual(fixture.actors, ["hungary", "viktor-orban", "reuters", "mia-lund"])
        XCTAssertEqual(fixture.record("viktor-orban")?.affiliation, "hungary")
    }

    func testNameBeforeAnAsideAndASpeechVerbIsAPerson() {
        let fixture = ExtractionFixture(body: ["Mia Lund, reporting from the border crossing, said queues were growing."])
        XCTAssertEqual(fixture.actors, ["mia-lund"])
    }

    func testHonorificIsNotPartOfTheName() {
        let fixture = ExtractionFixture(body: ["Dr Amina Yusuf, a surgeon at the hospital, treated the wounded."])
        XCTAssertEqual(fixture.actors, ["amina-yusuf"])
        XCTAssertEqual(fixture.record("amina-yusuf")?.name, "Amina Yusuf")
    }

    func testTitleIsNeverPartOfTheName() {
        let fixture = ExtractionFixture(body: ["Foreign ministry spokeswoman Mao Ning told a briefing that talks would go on."])
        XCTAssertEqual(fixture.record("mao-ning")?.name, "Mao Ning")
        XCTAssertEqual(fixture.record("mao-ning")?.roles, ["Foreign ministry spokeswoman"])
    }

    func testAccentedAndHyphenatedNames() {
        let fixture = ExtractionFixture(body: ["Spanish Foreign Minister José Manuel Albares met Jean-Noël Barrot, his French counterpart."])
        XCTAssertTrue(fixture.actors.contains("jose-manuel-albares"), "\(fixture.actors)")
        XCTAssertEqual(fixture.record("jose-manuel-albares")?.name, "José Manuel Albares")
        XCTAssertTrue(fixture.actors.contains("jean-noel-barrot"), "\(fixture.actors)")
    }

    func testNamesWithParticles() {
        let fixture = ExtractionFixture(body: [
            "European Commission President Ursula von der Leyen said the bloc would send more aid.",
            "Saudi Crown Prince Mohammed bin Salman received the delegation.",
        ])
        XCTAssertEqual(fixture.record("ursula-von-der-leyen")?.name, "Ursula von der Leyen", "\(fixture.actors)")
        XCTAssertEqual(fixture.record("mohammed-bin-salman")?.name, "Mohammed bin Salman", "\(fixture.actors)")
    }

    func testParticleSurnameIsAnAlias() {
        let fixture = ExtractionFixture(body: ["Dutch Finance Minister Wopke van der Berg presented the budget.",
                                               "Van der Berg said cuts were unavoidable."])
        XCTAssertEqual(fixture.record("wopke-van-der-berg")?.aliases.contains("van der Berg"), true,
                       "\(String(describing: fixture.record("wopke-van-der-berg")))")
    }

    func testGenerationalSuffixEndsTheNameAndIsNotTheSurname() throws {
        let fixture = ExtractionFixture(body: ["Philippine President Ferdinand Marcos Jr visited the flooded province.",
                                               "Marcos said relief goods would arrive on Friday."])
        let person = try XCTUnwrap(fixture.record("ferdinand-marcos-jr"), "\(fixture.actors)")
        XCTAssertEqual(person.name, "Ferdinand Marcos Jr")
        XCTAssertTrue(person.aliases.contains("Marcos"))
        XCTAssertFalse(person.aliases.contains("Jr"))
        XCTAssertEqual(person.mentions, 2)
    }

    func testGivenNamesThatAreAlsoWordsOfPlaceNamesStillMakePersons() {
        // `Martin` (Saint Martin), `Peter` (St Peter Port) and `Victoria` (a capital) are given names here.
        let fixture = ExtractionFixture(body: [
            "Martin Griffiths, the UN relief chief, said convoys were blocked.",
            "Peter Maurer, president of the ICRC, warned of shortages.",
            "US Under Secretary of State Victoria Nuland met officials.",
        ])
        XCTAssertTrue(fixture.actors.contains("martin-griffiths"), "\(fixture.actors)")
        XCTAssertTrue(fixture.actors.contains("peter-maurer"), "\(fixture.actors)")
        XCTAssertTrue(fixture.actors.contains("victoria-nuland"), "\(fixture.actors)")
        XCTAssertFalse(fixture.actors.contains("seychelles"), "Victoria is a given name here: \(fixture.actors)")
    }

    func testPossessiveIsNotPartOfTheName() throws {
        let fixture = ExtractionFixture(body: ["Prime Minister Kyriakos Mitsotakis's office said he would travel on Monday.",
                                               "Mr Mitsotakis thanked the rescuers; Mitsotakis's aides gave no details."])
        XCTAssertEqual(fixture.actors, ["kyriakos-mitsotakis"])
        let person = try XCTUnwrap(fixture.record("kyriakos-mitsotakis"))
        XCTAssertEqual(person.name, "Kyriakos Mitsotakis")
        XCTAssertEqual(person.aliases, ["Mitsotakis"])
        XCTAssertEqual(person.mentions, 3)
    }

    func testStateNameAsAGivenNameAfterATitle() {
        let fixture = ExtractionFixture(body: ["Foreign Minister Israel Katz said the embassy would reopen."])
        XCTAssertTrue(fixture.actors.contains("israel-katz"), "\(fixture.actors)")
        XCTAssertFalse(fixture.actors.contains("israel"), "\(fixture.actors)")
    }

    func testSurnameSeenFirstTakesTheFullNamesIdOnceItArrives() throws {
        let fixture = ExtractionFixture(headline: "President Okonjo visits the port",
                                        body: ["President Amara Okonjo toured the docks on Monday."])
        XCTAssertEqual(fixture.actors, ["amara-okonjo"])
        let person = try XCTUnwrap(fixture.record("amara-okonjo"))
        XCTAssertEqual(person.name, "Amara Okonjo")
        XCTAssertEqual(person.mentions, 2)
    }

    func testSurnameAloneResolvesToTheFullNameSeenAnywhereInTheArticle() {
        let fixture = ExtractionFixture(body: ["Petro said the talks with the rebels would resume next week."],
                                        lede: ["Colombian President Gustavo Petro has called for calm."])
        XCTAssertEqual(fixture.actors, ["gustavo-petro"], "the lede's Colombia is not the update's actor")
        XCTAssertEqual(fixture.record("gustavo-petro")?.name, "Gustavo Petro")
    }

    func testFamilyNameFirstResolvesByItsFirstWord() {
        let fixture = ExtractionFixture(body: ["Chinese foreign ministry spokeswoman Mao Ning spoke on Monday.",
                                               "Mao said Beijing opposed any interference."])
        XCTAssertEqual(fixture.actors, ["china", "mao-ning"])
        XCTAssertEqual(fixture.record("mao-ning")?.mentions, 2)
    }

    func testTweetAuthorIsAnActorAndTheHandleAnAlias() throws {
        let tweet = ExtractionFixture.tweet("Good talks today on energy security.", author: "Kaja Kallas", handle: "@kajakallas")
        let fixture = ExtractionFixture(body: ["Estonian Prime Minister Kaja Kallas met her Latvian counterpart."], embeds: [tweet])
        XCTAssertEqual(fixture.actors.filter { $0 == "kaja-kallas" }.count, 1)
        let person = try XCTUnwrap(fixture.record("kaja-kallas"))
        XCTAssertTrue(person.aliases.contains("@kajakallas"), "\(person.aliases)")
    }

    func testTweetByAKnownOrganizationIsThatOrganizationWithItsHandle() throws {
        let fixture = ExtractionFixture(body: ["Allies met to discuss air defence."], embeds: [
            ExtractionFixture.tweet("Allies agreed new support today.", author: "NATO", handle: "@NATO"),
            ExtractionFixture.tweet("Vaccines save lives.", author: "World Health Organization (WHO)", handle: "@WHO"),
        ])
        XCTAssertEqual(fixture.actors, ["nato", "world-health-organization"])
        let nato = try XCTUnwrap(fixture.record("nato"))
        XCTAssertEqual(nato.kind, .organization)
        XCTAssertTrue(nato.aliases.contains("@NATO"), "\(nato.aliases)")
    }

    func testTweetByAStateInstitutionIsTheState() {
        let tweet = ExtractionFixture.tweet("Our jets returned safely.", author: "Polish Ministry of Defence \u{1F1F5}\u{1F1F1}",
                                            handle: "@mon_gov_pl")
        let fixture = ExtractionFixture(body: ["Jets patrolled the border overnight."], embeds: [tweet])
        XCTAssertEqual(fixture.actors, ["poland"])
    }

    func testTweetByAPersonWhoseNameStartsLikeAStateIsAPerson() {
        let tweet = ExtractionFixture.tweet("Proud of the team tonight.", author: "Jordan Ellis", handle: "@jordanellis")
        let fixture = ExtractionFixture(body: ["The match ended late."], embeds: [tweet])
        XCTAssertEqual(fixture.actors, ["jordan-ellis"])
        XCTAssertEqual(fixture.record("jordan-ellis")?.kind, .person)
    }

    func testTweetAuthorNotNamedInTheBodyIsStillAnActor() {
        let tweet = ExtractionFixture.tweet("Shelters are open tonight.", author: "Coastal Relief Agency", handle: "@coastrelief")
        let fixture = ExtractionFixture(body: ["Storms hit the coast overnight."], embeds: [tweet])
        XCTAssertEqual(fixture.actors.count, 1)
        XCTAssertEqual(fixture.article.actors.first?.kind, .organization)
        XCTAssertEqual(fixture.article.actors.first?.name, "Coastal Relief Agency")
    }

    // MARK: - Organizations and groups

    func testOrganizationByAcronymAndByFullNameIsOneActor() {
        let fixture = ExtractionFixture(body: ["The International Atomic Energy Agency sent a team.", "IAEA inspectors reached the site."])
        XCTAssertEqual(fixture.actors, ["iaea"])
        XCTAssertEqual(fixture.record("iaea")?.kind, .organization)
        XCTAssertEqual(fixture.record("iaea")?.mentions, 2)
    }

    func testOrganizationDiscoveredByTheShapeOfItsName() {
        let fixture = ExtractionFixture(body: ["The Coastal Fisheries Commission said stocks had collapsed."])
        XCTAssertEqual(fixture.actors, ["coastal-fisheries-commission"])
        XCTAssertEqual(fixture.record("coastal-fisheries-commission")?.kind, .organization)
    }

    func testSubNationalGovernmentIsAnOrganizationAndAStatesGovernmentTheState() {
        let fixture = ExtractionFixture(body: ["The Puntland Regional Government said the Kenyan Government had been informed."])
        XCTAssertEqual(fixture.actors, ["puntland-regional-government", "kenya"])
        XCTAssertEqual(fixture.record("puntland-regional-government")?.kind, .organization)
    }

    func testUniversitiesAreOrganizationsByShape() {
        let fixture = ExtractionFixture(body: ["Researchers at Makerere University said the outbreak was slowing."])
        XCTAssertEqual(fixture.actors, ["makerere-university"])
        XCTAssertEqual(fixture.record("makerere-university")?.kind, .organization)
    }

    func testNewsOutletNameIsNotAPerson() {
        let fixture = ExtractionFixture(body: ["The New York Times reported that the talks had stalled."])
        XCTAssertEqual(fixture.actors, ["new-york-times"])
        XCTAssertEqual(fixture.record("new-york-times")?.kind, .organization)
    }

    func testShortFormInsideAnotherOrganizationsNameIsThatOrganization() throws {
        let fixture = ExtractionFixture(body: ["The Chilean Red Cross said 40 volunteers were deployed.",
                                               "\"We are short of blankets and of clean water,\" the Red Cross said."])
        XCTAssertEqual(fixture.actors, ["chilean-red-cross"])
        XCTAssertEqual(fixture.quotes.first?.actor, "chilean-red-cross")
        XCTAssertNil(fixture.record("icrc"), "the short form was the Chilean society's, not the ICRC's")
        XCTAssertEqual(fixture.record("chilean-red-cross")?.mentions, 2)
    }

    func testShortFormAloneIsTheOrganizationOfTheData() {
        let fixture = ExtractionFixture(body: ["The Red Cross said it had reached the camp."])
        XCTAssertEqual(fixture.actors, ["icrc"])
    }

    func testArmedGroupsFromTheGroupsData() {
        let fixture = ExtractionFixture(body: ["Boko Haram fighters raided the village and the Taliban denied any role."])
        XCTAssertEqual(fixture.actors, ["boko-haram", "taliban"])
        XCTAssertEqual(fixture.record("boko-haram")?.kind, .group)
    }

    func testGroupDiscoveredByTheShapeOfItsName() {
        let fixture = ExtractionFixture(body: ["The Mountain Liberation Front claimed the attack."])
        XCTAssertEqual(fixture.record("mountain-liberation-front")?.kind, .group, "\(fixture.actors)")
    }

    func testActorsAreListedInOrderOfFirstAppearanceOnce() {
        let fixture = ExtractionFixture(headline: "Ghana and Togo agree border deal",
                                        body: ["Togo said the deal with Ghana was final.", "Ghanaian officials agreed."])
        XCTAssertEqual(fixture.actors, ["ghana", "togo"])
    }

    func testIdsAreStableSlugsAcrossArticles() {
        let first = ExtractionFixture(body: ["Turkish President Recep Tayyip Erdogan spoke to NATO allies."])
        let second = ExtractionFixture(body: ["Turkey and NATO held talks; Erdogan said they went well."],
                                       lede: ["President Recep Tayyip Erdogan travelled to Brussels."])
        XCTAssertEqual(Set(first.actors), ["turkey", "recep-tayyip-erdogan", "nato"])
        XCTAssertEqual(Set(second.actors), ["turkey", "recep-tayyip-erdogan", "nato"])
    }
}
