import Synchronization
import XCTest
@testable import Store

/// The tokenizer's per-thread vocabulary (issue 10): a word's token is made once and copied
/// after, so what matters is that a copy is exactly what a fresh scan would make, however
/// full the table, and that nothing is forgotten while an article's tokens are alive.
final class VocabularyTests: XCTestCase {
    /// The tokens of `text`, by a vocabulary of the test's own.
    private func tokens(_ text: String, in vocabulary: Vocabulary) -> [(text: String, folded: String, start: Int)] {
        var text = text
        return text.withUTF8 { bytes in
            var words: [(String, String, Int)] = []
            var sink = Collected(vocabulary: vocabulary)
            Tokenizer.scan(bytes, into: &sink)
            for token in sink.tokens { words.append((token.text, token.folded, token.start)) }
            return words
        }
    }

    /// A sink that asks the vocabulary for every word and mark, as the tokenizer's own does.
    private struct Collected: Tokenizer.Sink {
        let vocabulary: Vocabulary
        var tokens: [Token] = []

        mutating func word(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, shape: Tokenizer.WordShape, inQuote: Bool) {
            let word = UnsafeBufferPointer(rebasing: bytes)
            var token = vocabulary.prototype(of: word, isWord: true) { vocabulary, number in
                Token(word: number, in: vocabulary, bytes: word, shape: shape)
            }.pointee
            token.start = bytes.startIndex
            tokens.append(token)
        }

        mutating func mark(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, inQuote: Bool, closesQuote: Bool) {}
    }

    func testARepeatedWordIsTheSameWordAtItsOwnPlace() {
        let vocabulary = Vocabulary()
        let words = tokens("Talks resumed; talks Talks talks.", in: vocabulary)
        XCTAssertEqual(words.map(\.text), ["Talks", "resumed", "talks", "Talks", "talks"])
        XCTAssertEqual(words.map(\.folded), ["talks", "resumed", "talks", "talks", "talks"])
        XCTAssertEqual(words.map(\.start), [0, 6, 15, 21, 27])
        XCTAssertEqual(vocabulary.count, 3, "Talks, resumed, talks: one entry per distinct spelling")
    }

    func testLongWordsThatShareTheirFirstEightBytesStayApart() {
        let vocabulary = Vocabulary()
        let words = tokens("internationally internationals internationally internation", in: vocabulary)
        XCTAssertEqual(words.map(\.text), ["internationally", "internationals", "internationally", "internation"])
        XCTAssertEqual(vocabulary.count, 3)
    }

    func testTheTableGrowsWithoutLosingAWord() {
        let vocabulary = Vocabulary()
        // Far more distinct words than the table's first room, then all of them again.
        let distinct = (0..<20_000).map { "w\(String($0, radix: 36))x" }
        let text = distinct.joined(separator: " ")
        XCTAssertEqual(tokens(text, in: vocabulary).map(\.text), distinct)
        XCTAssertEqual(vocabulary.count, distinct.count)
        XCTAssertEqual(tokens(text, in: vocabulary).map(\.text), distinct, "every word found again after the growth")
        XCTAssertEqual(vocabulary.count, distinct.count)
    }

    func testRoomIsMadeOnlyOnceTheTableIsFull() {
        let vocabulary = Vocabulary()
        _ = tokens("one two three", in: vocabulary)
        vocabulary.makeRoom()
        XCTAssertEqual(vocabulary.count, 3, "below capacity, the words an article may still hold are kept")
        let many = (0..<Vocabulary.capacity).map { "v\(String($0, radix: 36))" }.joined(separator: " ")
        _ = tokens(many, in: vocabulary)
        XCTAssertGreaterThanOrEqual(vocabulary.count, Vocabulary.capacity)
        vocabulary.makeRoom()
        XCTAssertEqual(vocabulary.count, 0)
        XCTAssertEqual(tokens("one two", in: vocabulary).map(\.text), ["one", "two"])
    }

    func testEveryThreadReadsTheSameTokens() {
        let text = "Türkiye's Foreign Ministry said the U.S. envoy met al-Sham’s leaders in Kyiv."
        let expected = Tokenizer.tokens(of: text).map { "\($0.text)|\($0.folded)|\($0.start)|\($0.classes.rawValue)" }
        let results = Mutex<[[String]]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let seen = Tokenizer.tokens(of: text).map { "\($0.text)|\($0.folded)|\($0.start)|\($0.classes.rawValue)" }
            results.withLock { $0.append(seen) }
        }
        let all = results.withLock { $0 }
        XCTAssertEqual(all.count, 4)
        for seen in all { XCTAssertEqual(seen, expected) }
        XCTAssertEqual(expected.first?.split(separator: "|").prefix(3), ["Türkiye's", "turkiye's", "0"])
    }
}

/// The per-thread cache of search words (issue 10): an update's distinct search words, as
/// `TextFolding.words` gives them, whatever the cache already holds.
final class SearchWordCacheTests: XCTestCase {
    /// What the cache must give: every text's words in order, each kept once.
    private func reference(_ texts: [String]) -> [String] {
        var seen: Set<String> = []
        return texts.flatMap { TextFolding.words(in: $0) }.filter { seen.insert($0).inserted }
    }

    func testAnUpdatesWordsAreEachGivenOnceInOrder() {
        var cache = SearchWordCache()
        let texts = ["Turkey's al-Sham envoy met U.S. officials.", "The envoy's AT&T call; Türkiye, Turkey and turkey.", "al-Sham al Sham"]
        XCTAssertEqual(cache.distinctWords(of: texts), reference(texts))
        XCTAssertEqual(cache.distinctWords(of: texts), reference(texts), "a second update gives its words again")
        XCTAssertEqual(cache.distinctWords(of: ["sham envoy"]), ["sham", "envoy"])
    }

    func testManyDistinctWordsAcrossUpdatesAndAFreshStart() {
        var cache = SearchWordCache()
        for round in 0..<3 {
            let texts = (0..<50).map { line in (0..<40).map { "w\(round)-\(line * 37 % 900 + $0)" }.joined(separator: " ") }
            XCTAssertEqual(cache.distinctWords(of: texts), reference(texts))
        }
        let many = [(0..<SearchWordCache.capacity).map { "x\(String($0, radix: 36))" }.joined(separator: " ")]
        XCTAssertEqual(cache.distinctWords(of: many).count, SearchWordCache.capacity)
        XCTAssertEqual(cache.distinctWords(of: ["After the Fresh start"]), ["after", "the", "fresh", "start"])
    }
}
