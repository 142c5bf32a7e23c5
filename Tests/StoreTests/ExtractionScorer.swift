import Foundation
import XCTest
@testable import Store

/// The actor and quote half of `../shared/tools/score-corpus`, computed on Store values
/// instead of over HTTP, so that extraction can be measured without a server. The names,
/// the maximum matching and the 40-character quote prefix follow the scorer's rules (see
/// `FORMAT.md`, "Actors" and "Quotes"); a change there must be mirrored here.
struct ExtractionScorer {
    /// One `NAME.expected.json`: only the fields extraction is judged on.
    struct ExpectedArticle: Decodable {
        var article: String
        var lede: [String]?
        var date: String?
        var updates: [ExpectedUpdate]
    }

    struct ExpectedUpdate: Decodable {
        var time: String
        var headline: String
        var body: [String]
        var actors: [ExpectedActor]
        var optional_actors: [ExpectedActor]?
        var quotes: [ExpectedQuote]?
        var embeds: [Embed]?
    }

    struct ExpectedActor: Decodable {
        var names: [String]
        var kind: String?
    }

    struct ExpectedQuote: Decodable {
        var speaker: String
        var text: String
    }

    struct Tally {
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0
        var quotes = 0
        var quotesFound = 0
        /// What went wrong, one line per miss or extra, for the test's output.
        var problems: [String] = []

        var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var quoteRecall: Double { quotes == 0 ? 1 : Double(quotesFound) / Double(quotes) }

        static func += (lhs: inout Tally, rhs: Tally) {
            lhs.truePositives += rhs.truePositives
            lhs.falsePositives += rhs.falsePositives
            lhs.falseNegatives += rhs.falseNegatives
            lhs.quotes += rhs.quotes
            lhs.quotesFound += rhs.quotesFound
            lhs.problems += rhs.problems
        }

        var summary: String {
            String(format: "actors P %.3f R %.3f F1 %.3f (tp %d, fp %d, fn %d); quotes %d/%d (recall %.3f)",
                   precision, recall, f1, truePositives, falsePositives, falseNegatives, quotesFound, quotes, quoteRecall)
        }
    }

    /// The store the server would build: actors are resolved through its merged records,
    /// as score-corpus resolves them through `GET /actors`.
    let store: Store

    static func loadExpected(_ url: URL) throws -> ExpectedArticle {
        try JSONDecoder().decode(ExpectedArticle.self, from: Data(contentsOf: url))
    }

    /// Scores the updates of `article` (as the store holds them) against `expected`.
    func score(_ expected: ExpectedArticle, article: Article) -> Tally {
        var tally = Tally()
        var unpaired = Array(article.updates.indices)
        for update in expected.updates {
            tally.quotes += update.quotes?.count ?? 0
            let paired = unpaired.firstIndex { article.updates[$0].time.rfc3339 == update.time }
                ?? unpaired.firstIndex { Self.canon(article.updates[$0].headline) == Self.canon(update.headline) }
            guard let position = paired else {
                tally.falseNegatives += update.actors.count
                tally.problems.append("\(expected.article) \(update.time): update not found")
                continue
            }
            let got = article.updates[unpaired.remove(at: position)]
            tally += score(update, got: got, label: "\(expected.article) \(update.time)")
        }
        return tally
    }

    private func score(_ expected: ExpectedUpdate, got: Update, label: String) -> Tally {
        var tally = Tally()
        var ids: [String] = []
        for id in got.actors where !ids.contains(id) { ids.append(id) }
        let gotNames = ids.map(names(of:))
        let required = expected.actors.map { Set($0.names.map(Self.nameKey)) }
        let optional = (expected.optional_actors ?? []).map { Set($0.names.map(Self.nameKey)) }
        let matching = Self.maximumMatching(left: gotNames.count, right: required.count) { !gotNames[$0].isDisjoint(with: required[$1]) }
        tally.truePositives = matching.count
        tally.falseNegatives = required.count - matching.count
        let matchedRequired = Set(matching.values)
        for (index, actor) in expected.actors.enumerated() where !matchedRequired.contains(index) {
            tally.problems.append("\(label): missing actor \(actor.names.first ?? "?")")
        }
        for (index, id) in ids.enumerated() where matching[index] == nil {
            if optional.contains(where: { !$0.isDisjoint(with: gotNames[index]) }) { continue }
            tally.falsePositives += 1
            tally.problems.append("\(label): unexpected actor \(id)")
        }
        for quote in expected.quotes ?? [] {
            var speakerNames: Set<String> = [Self.nameKey(quote.speaker)]
            for actor in expected.actors where actor.names.first.map(Self.nameKey) == Self.nameKey(quote.speaker) {
                speakerNames.formUnion(actor.names.map(Self.nameKey))
            }
            let prefix = String(Self.quoteKey(quote.text).prefix(40))
            let found = got.quotes.contains { Self.quote($0.text, holds: prefix) && !names(of: $0.actor).isDisjoint(with: speakerNames) }
            if found {
                tally.quotesFound += 1
            } else {
                let near = got.quotes.first { Self.quote($0.text, holds: prefix) }
                tally.problems.append("\(label): missing quote by \(quote.speaker): \(quote.text.prefix(50))"
                                      + (near.map { " (found, attributed to \($0.actor))" } ?? ""))
            }
        }
        return tally
    }

    private func names(of id: String) -> Set<String> {
        guard let actor = store.actor(id: id) else { return [Self.nameKey(id)] }
        return Set(([actor.name] + actor.record.aliases).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(Self.nameKey))
    }

    // MARK: - The scorer's canonical forms

    static func canon(_ text: String) -> String {
        var folded = ""
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar {
            case "\u{201C}", "\u{201D}", "\u{201E}", "\u{201F}", "\u{00AB}", "\u{00BB}", "\u{2033}": folded += "\""
            case "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\u{2032}": folded += "'"
            default: folded.unicodeScalars.append(scalar)
            }
        }
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func nameKey(_ text: String) -> String {
        let lowered = canon(text).lowercased().decomposedStringWithCompatibilityMapping
        // Accents go as the scorer drops them: every combining mark of the NFKD form.
        var key = String(String.UnicodeScalarView(lowered.unicodeScalars.filter { $0.properties.canonicalCombiningClass.rawValue == 0 }))
        while let range = key.range(of: #"^(the|dr|mr|mrs|ms|prof|sir)\.?\s+"#, options: .regularExpression) {
            key.removeSubrange(range)
        }
        return key.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
    }

    static func quoteKey(_ text: String) -> String {
        canon(text).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
    }

    /// Whether a returned quote holds the expected prefix from a word's start.
    static func quote(_ text: String, holds prefix: String) -> Bool {
        let key = quoteKey(text)
        guard !prefix.isEmpty, !key.isEmpty else { return false }
        let pattern = "(?<!\\w)" + NSRegularExpression.escapedPattern(for: prefix)
        return key.range(of: pattern, options: .regularExpression) != nil
    }

    /// Kuhn's augmenting paths, as in score-corpus; returns left index -> right index.
    static func maximumMatching(left: Int, right: Int, edge: (Int, Int) -> Bool) -> [Int: Int] {
        var owner: [Int: Int] = [:]
        func augment(_ l: Int, _ seen: inout Set<Int>) -> Bool {
            for r in 0..<right where !seen.contains(r) && edge(l, r) {
                seen.insert(r)
                if let current = owner[r] {
                    if augment(current, &seen) { owner[r] = l; return true }
                } else {
                    owner[r] = l
                    return true
                }
            }
            return false
        }
        for l in 0..<left {
            var seen: Set<Int> = []
            _ = augment(l, &seen)
        }
        return Dictionary(uniqueKeysWithValues: owner.map { ($1, $0) })
    }
}
