import XCTest
@testable import Store

final class TextRepairTests: XCTestCase {
    private func check(_ raw: String, _ clean: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(TextRepair.repair(raw), clean, file: file, line: line)
    }

    func testDecodesSingleQuotesBrokenBySpacesAndTakesTheirSpaceAway() {
        check("Officials urged calm & # 39; before the vote & # 39; on Sunday", "Officials urged calm 'before the vote' on Sunday")
        check("The port & # 39; s cranes stood still", "The port's cranes stood still")
        check("They called it a & # 39; temporary & # 39; closure", "They called it a 'temporary' closure")
        check("& # 39; Stay indoors & # 39;, the mayor wrote", "'Stay indoors', the mayor wrote")
        check("a & # 39; citizens & # 39; s assembly & # 39; met", "a 'citizens's assembly' met")
        check("We don & # 39; t know", "We don't know")
    }

    func testDecodesDoubleQuotesInEveryBrokenForm() {
        check("She asked for \"a quick vote,quot; before noon", "She asked for \"a quick vote\" before noon")
        check("quot;Nobody was hurt,quot; he said", "\"Nobody was hurt\" he said")
        check("& quot;The roads are closed,& quot; said the police", "\"The roads are closed,\" said the police")
        check("&amp;quot;Double encoded words here,&amp;quot; they said", "\"Double encoded words here,\" they said")
        check("&quot;Plain entity&quot;", "\"Plain entity\"")
    }

    func testDecodesAmpersandsNumericAndNamedEntities() {
        check("Trade & amp; Industry", "Trade & Industry")
        check("Trade &amp; Industry", "Trade & Industry")
        check("the council&#8217;s plan", "the council\u{2019}s plan")
        check("it&#x27;s late", "it's late")
        check("caf&eacute; owners", "café owners")
        check("two& nbsp;words", "two words")
        check("&amp;#39;quoted&amp;#39;", "'quoted'")
    }

    func testDecodesLegacyReferencesWithoutTheirSemicolon() {
        check("Ports & amp harbours", "Ports & harbours")
        check("He said &quot enough is enough&quot, then left", "He said \"enough is enough\", then left")
        check("AT&T and &ampersand stay", "AT&T and &ampersand stay")
    }

    func testRemovesMinifierPlaceholdersWithTheirSpace() {
        check("the rule %MINIFYHTMLab12cd34ef13% of law", "the rule of law")
        check("%MINIFYHTMLab12cd34ef11% %MINIFYHTMLab12cd34ef12_3% text", "text")
        check("end of line %MINIFYHTML0f0f%", "end of line")
    }

    func testTidiesDoubledPunctuationAndSpaces() {
        check("The talks ended. .", "The talks ended.")
        check("It rained , and then  it  snowed", "It rained, and then it snowed")
        check("  padded  ", "padded")
        check("Really? ?", "Really?")
        check("in the town .", "in the town.")
    }

    func testLeavesCorrectTextAlone() {
        for text in ["AT&T and R&D staff met at 5 & 6 Market Street", "Follow #FloodWatch for news",
                     "Wait for it… and then...", "He paused ... and went on", "Q&A at https://x.co/a?b=1&c=2",
                     "The 3.5% rise", "It's \"fine\", they said.", "Rock 'n' roll", "Prices: up 2.5 per cent"] {
            check(text, text)
        }
    }

    func testCleanTextOutsideASCIIIsKeptAndDebrisBesideItIsStillRepaired() {
        for text in ["“We will rebuild,” said Zoé Ibáñez — in Türkiye…", "Prices rose 3% in a day", "a – b ‘c’ €5"] {
            check(text, text)
        }
        check("“We will rebuild” , said Zoé", "“We will rebuild”, said Zoé")
        check("Türkiye&#8217;s coast", "Türkiye\u{2019}s coast")
        check("Zoé\u{00A0}Ibáñez", "Zoé Ibáñez")
        check("Ω and \u{212B}ngstr\u{00F6}m", "Ω and \u{00C5}ngstr\u{00F6}m")
    }

    func testManyEncodedQuotationMarksAlternateOpeningAndClosing() {
        let raw = String(repeating: "he said &quot;yes&quot; and ", count: 2_000)
        let repaired = TextRepair.repair(raw)
        XCTAssertEqual(repaired, String(repeating: "he said \"yes\" and ", count: 2_000).trimmingCharacters(in: .whitespaces))
    }

    func testNormalizesToNFC() {
        check("Zoe\u{0301} Ibáñez", "Zoé Ibáñez")
        XCTAssertEqual(TextRepair.repair("Zoe\u{0301}").unicodeScalars.count, 3)
    }
}
