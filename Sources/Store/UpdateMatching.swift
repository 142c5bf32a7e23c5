/// Whether one update passes a filter: the question `Store.select` answers for a whole
/// snapshot, asked of a single update that has just changed (what `/stream` pushes).
extension UpdateFilter {
    /// The folded words of an update's headline and body, as the word index holds them:
    /// computed once per update and passed to `matches` for every filter asked.
    public static func searchableWords(of update: Update) -> Set<String> {
        Set(TextFolding.words(in: ([update.headline] + update.body).joined(separator: " ")))
    }

    /// True when `update` meets every condition; `words` is `searchableWords(of: update)`.
    public func matches(_ update: Update, words: Set<String>) -> Bool {
        if let since, update.time < since { return false }
        if let until, update.time > until { return false }
        if let article, update.article != article { return false }
        for actor in actors where !update.actors.contains(actor) { return false }
        for word in self.words where !words.contains(TextFolding.fold(word)) { return false }
        if let minuteOfDay, update.time.secondOfDay / 60 != minuteOfDay { return false }
        return true
    }

    /// True when no condition is set: every update matches.
    public var isEmpty: Bool {
        since == nil && until == nil && article == nil && actors.isEmpty && words.isEmpty && minuteOfDay == nil
    }
}
