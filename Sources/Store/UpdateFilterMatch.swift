/// One update as filters test it, with the words of its headline and body folded once: a
/// change event is tested against every subscriber's filter, and tokenizing the text again
/// for each of them would cost more than all the other conditions together.
public struct MatchableUpdate: Sendable {
    public let update: Update
    /// The folded words a `q` word is looked up in, as the index holds them.
    let words: Set<String>

    public init(_ update: Update) {
        self.update = update
        var words = Set(TextFolding.words(in: update.headline))
        for paragraph in update.body { words.formUnion(TextFolding.words(in: paragraph)) }
        self.words = words
    }
}

extension UpdateFilter {
    /// Whether one update passes, for a change event (the index answers whole lists).
    public func admits(_ candidate: MatchableUpdate) -> Bool {
        let update = candidate.update
        if let since, update.time < since { return false }
        if let until, update.time > until { return false }
        if let article, update.article != article { return false }
        if let minuteOfDay, update.time.secondOfDay / 60 != minuteOfDay { return false }
        if !actors.allSatisfy(update.actors.contains) { return false }
        if let quotedBy, !update.quotes.contains(where: { $0.actor == quotedBy }) { return false }
        return words.allSatisfy { candidate.words.contains(TextFolding.fold($0)) }
    }

    /// The filter every update passes: a subscriber with it is sent every event untested.
    public var admitsEverything: Bool { self == UpdateFilter() }
}
