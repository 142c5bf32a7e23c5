/// Finds the quotes of an update's body and who said them.
///
/// A quote is a passage of four words or more in double quotes. Its speaker is named
/// beside it (`"…," says X`, `"…," X told reporters`, `X said: "…"`, `according to X`),
/// or by a pronoun or title after a speaker named before (`he says`, `the minister said`);
/// a passage with no attribution continues the quote before it in the same paragraph, a
/// quoted paragraph standing alone continues the update's last quote, and a partial quote
/// inside reported speech belongs to the sentence's subject.
struct QuoteExtractor {
    static let windows = Knowledge.windows.quote
    static let minimumWords = windows.minimum_words

    /// A resolved reference from a position in a paragraph to an actor.
    struct Mention {
        var id: String
        var kind: ActorKind
        var range: Range<Int>
        /// The rule that found it, for `normalize --explain`.
        var rule = ""
    }

    /// What `the army said` can refer to: the actors named before a passage, the update's
    /// earlier paragraphs' then its own paragraph's, a prefix of the update's mentions.
    typealias Known = ArraySlice<Mention>
    /// A paragraph's mentions, or the update's before it: a slice of the update's one list.
    typealias Mentions = ArraySlice<Mention>

    /// The quotes of one paragraph. `previousSpeaker` is the speaker of the update's last
    /// quote; `lastPerson` the last person named before this paragraph.
    /// `mentions` are the paragraph's, the last ones of `updateMentions`, the update's so far.
    static func quotes(in tokens: [Token], bytes: UnsafeBufferPointer<UInt8>, mentions: Mentions, of updateMentions: Mentions,
                       previousSpeaker: String?, lastPerson: String?, paragraphIsQuoteOnly: Bool, roles: [String: String] = [:]) -> [(speaker: String, text: String, rule: String)] {
        var result: [(speaker: String, text: String, rule: String)] = []
        // Where the sentence of each passage starts, read forward once as the passages come in
        // order: walking back per passage made a paragraph of many short quotes quadratic.
        var sentenceStart = 0, read = 0
        var speakerBefore = previousSpeaker
        var lastSpeakerInParagraph: String?
        // The passages found one after another as they are read: no list of them.
        var scan = 0
        while let span = nextPassage(tokens, from: &scan) {
            while read < span.lowerBound {
                if tokens[read].isMark(".") { sentenceStart = read + 1 }
                read += 1
            }
            let words = wordCount(span, tokens)
            // What `the army said` can refer to: actors named before this passage, not in it.
            // Mentions are in order and do not overlap: those before it are a prefix, and the
            // update's before the paragraph's a prefix of the update's list.
            let known = updateMentions[..<(mentions.firstIndex { $0.range.upperBound >= span.lowerBound } ?? mentions.endIndex)]
            let after = speaker(after: span.upperBound + 1, tokens, mentions, lastPerson: lastPerson ?? speakerBefore, known: known, roles: roles)
            let attributed = after
                ?? speaker(before: span.lowerBound - 1, tokens, mentions, lastPerson: lastPerson ?? speakerBefore, known: known, roles: roles)
            var speaker: String?
            var rule = after != nil ? "quote: attribution after the quote" : "quote: attribution before the quote"
            switch attributed {
            case .some(.actor(let id)): speaker = id
            case .some(.unnamed): speaker = nil
            case .none:
                if let last = lastSpeakerInParagraph {
                    speaker = last
                    rule = "quote: the paragraph's speaker goes on"
                } else if paragraphIsQuoteOnly {
                    speaker = speakerBefore
                    rule = "quote: a quoted paragraph after the last speaker's"
                } else {
                    speaker = subject(before: span.lowerBound, sentenceStart: sentenceStart, mentions)
                    rule = "quote: a partial quote, the sentence's subject"
                }
            }
            if case .some(.unnamed) = attributed { lastSpeakerInParagraph = nil; continue }
            guard let speaker else { continue }
            lastSpeakerInParagraph = speaker
            speakerBefore = speaker
            guard words >= minimumWords else { continue }
            result.append((speaker, text(of: span, tokens, bytes), rule))
        }
        return result
    }

    /// The next passage in double quotes from `index` on (up to the paragraph's end when it
    /// is never closed), `index` moved past its closing mark.
    private static func nextPassage(_ tokens: [Token], from index: inout Int) -> Range<Int>? {
        while index < tokens.count {
            if tokens[index].isQuoteMark, tokens[index].inQuote {
                var end = index + 1
                while end < tokens.count, !(tokens[end].isQuoteMark && !tokens[end].inQuote) { end += 1 }
                let passage = (index + 1)..<end
                index = end + 1
                return passage
            }
            index += 1
        }
        return nil
    }

    enum Attribution { case actor(String), unnamed }

    /// `," says X`, `," X said`, `," he told`, `," according to X`, `," a nurse told`.
    private static func speaker(after start: Int, _ tokens: [Token], _ mentions: Mentions, lastPerson: String?,
                                known: Known, roles: [String: String]) -> Attribution? {
        var i = start
        while i < tokens.count, tokens[i].isMark(",") { i += 1 }
        guard i < tokens.count, tokens[i].isWord else { return nil }
        // `"…" in Iraq, a spokeswoman told`: a clause going on after the quote, not its attribution.
        if tokens[i].isLowercase, tokens[i].is(.locationPreposition) || tokens[i].is(.clauseWord), !tokens[i].is(.speechVerb),
           tokens[i].folded != "according" { return nil }
        // `says X` / `said X`
        if tokens[i].is(.speechVerb) {
            if let person = titledPerson(after: i, tokens, mentions) { return .actor(person) }
            if let mention = firstNamed(mentions, from: i + 1, to: i + windows.verb_to_speaker + 1) {
                return .actor(mention.id)
            }
            if i + 1 < tokens.count, tokens[i + 1].is(.indefinite) { return .unnamed }
            return nil
        }
        if tokens[i].folded == "according", i + 1 < tokens.count, tokens[i + 1].folds(to: "to") {
            if let mention = mentions.first(where: { $0.range.lowerBound > i + 1 && $0.range.lowerBound <= i + windows.according_to_speaker }) {
                return .actor(mention.id)
            }
            return .unnamed
        }
        // `X said`, `X, a spokesman for Y, told`, `he says`, `the minister said`, `a nurse told`
        if tokens[i].is(.pronoun), i + 1 < tokens.count, tokens[i + 1].is(.speechVerb) {
            return referent(of: tokens[i].folded, known: known, lastPerson: lastPerson)
        }
        if tokens[i].is(.indefinite) { return .unnamed }
        var j = i
        while j < tokens.count, j - i < windows.attribution_reach, !tokens[j].is(.speechVerb) {
            if tokens[j].isMark(".") || tokens[j].isQuoteMark { return nil }
            j += 1
        }
        guard j < tokens.count, j - i < windows.attribution_reach else { return nil }
        if let mention = firstNamed(mentions, from: i, to: j) {
            return .actor(mention.id)
        }
        if tokens[i].folds(to: "the"), i + 1 < j {
            return describedActor(tokens[(i + 1)..<j].filter(\.isWord).map(\.folded), known: known, lastPerson: lastPerson, roles: roles)
        }
        return nil
    }

    /// The first person whose mention starts in `from..<to`, else the first actor's.
    private static func firstNamed(_ mentions: Mentions, from: Int, to: Int) -> Mention? {
        let inside = { (mention: Mention) in mention.range.lowerBound >= from && mention.range.lowerBound < to }
        return mentions.first { inside($0) && $0.kind == .person } ?? mentions.first(where: inside)
    }

    /// The words of a span, not its marks.
    private static func wordCount(_ span: Range<Int>, _ tokens: [Token]) -> Int {
        var count = 0
        for index in span where tokens[index].isWord { count += 1 }
        return count
    }

    /// `said Russian foreign ministry spokeswoman Maria Zakharova`, `says the spokesman, Wang
    /// Wenbin`: the person at the end of a title after the verb, not the state inside the title.
    private static func titledPerson(after verb: Int, _ tokens: [Token], _ mentions: Mentions) -> String? {
        // Mentions are in order: the one that can start at `j` is the first not before it.
        var next = mentions.startIndex
        var j = verb + 1
        while j < tokens.count, j - verb <= windows.titled_person_reach {
            while next < mentions.endIndex, mentions[next].range.lowerBound < j { next += 1 }
            if next < mentions.endIndex, mentions[next].range.lowerBound == j {
                let mention = mentions[next]
                if mention.kind == .person { return mention.id }
                j = mention.range.upperBound
                continue
            }
            // Only the words of a description: no clause starts before the name.
            let token = tokens[j]
            guard token.isMark(",") || token.is(.title)
                || token.isWord && token.isLowercase && !token.is(.clauseWord) && !token.is(.speechVerb)
            else { return nil }
            j += 1
        }
        return nil
    }

    /// `he said` is the person spoken of; `it said` the organization, group or state named
    /// last; `they said` the group or organization just named.
    private static func referent(of pronoun: String, known: Known, lastPerson: String?) -> Attribution? {
        if pronoun == "it", let actor = known.last(where: { $0.kind != .person }) { return .actor(actor.id) }
        // `they said` after a group or an organization (`the Houthis`, `the rebels' command`).
        if pronoun == "they", let actor = known.last, actor.kind == .group || actor.kind == .organization { return .actor(actor.id) }
        return lastPerson.map { .actor($0) }
    }

    /// `the army said` is the state named last, `the agency said` the organization named
    /// last, `the minister said` the person named last.
    private static func describedActor(_ words: [String], known: Known, lastPerson: String?,
                                       roles: [String: String]) -> Attribution? {
        let phrase = words.joined(separator: " ")
        // `a spokeswoman for the Foreign Office … the spokeswoman said`: whom she speaks for.
        if words.count == 1, let actor = roles[words[0]] { return .actor(actor) }
        if words.contains(where: { Knowledge.stateInstitutionWords.contains($0) }) || Knowledge.stateInstitutionWords.contains(phrase) {
            return known.last(where: { $0.kind == .country }).map { .actor($0.id) }
        }
        if words.contains(where: { Knowledge.organizationNouns.contains($0) }) {
            return known.last(where: { $0.kind == .organization || $0.kind == .group }).map { .actor($0.id) }
        }
        if words.contains(where: { Knowledge.titleWords.contains($0) }) {
            return (known.last(where: { $0.kind == .person })?.id ?? lastPerson).map { .actor($0) }
        }
        // `the statement said`: the actor named last, who issued it.
        if words.count <= 2, words.last.map(Knowledge.speechDocuments.contains) == true {
            return known.last.map { .actor($0.id) }
        }
        return nil
    }

    /// `X said: "…"`, `X told reporters that "…"`, `He added: "…"`, `The ministry said: "…"`.
    private static func speaker(before end: Int, _ tokens: [Token], _ mentions: Mentions, lastPerson: String?,
                                known: Known, roles: [String: String]) -> Attribution? {
        var i = end - 1
        while i >= 0, tokens[i].isMark(":") || tokens[i].isMark(",") || tokens[i].folds(to: "that") { i -= 1 }
        guard i >= 0, tokens[i].is(.speechVerb) else { return nil }
        if let mention = mentions.last(where: { $0.range.upperBound <= i && $0.range.upperBound >= i - windows.speaker_before_verb }) {
            return .actor(mention.id)
        }
        // A pronoun or a description that opens the clause: the speaker named before.
        var start = i
        while start > 0, tokens[start - 1].isWord, i - start < windows.clause_opening { start -= 1 }
        guard start < i, start == 0 || !tokens[start - 1].isWord else { return nil }
        if i - start == 1, tokens[start].is(.pronoun) { return referent(of: tokens[start].folded, known: known, lastPerson: lastPerson) }
        if tokens[start].folds(to: "the"), i - start >= 2 {
            return describedActor(tokens[(start + 1)..<i].map(\.folded), known: known, lastPerson: lastPerson, roles: roles)
        }
        return nil
    }

    /// `a spokeswoman for the Foreign Office`, `the spokesman of the ministry`: an unnamed
    /// person by their title and the actor they speak for, by the title word.
    /// Adds them to `roles`, a later one replacing an earlier one of the same title word.
    static func noteUnnamedRoles(in tokens: [Token], _ mentions: Mentions, into roles: inout [String: String]) {
        for index in mentions.indices where mentions[index].kind != .person {
            var k = mentions[index].range.lowerBound - 1
            if k >= 0, tokens[k].folds(to: "the") { k -= 1 }
            guard k >= 2, (tokens[k].folds(to: "for") || tokens[k].folds(to: "of") || tokens[k].folds(to: "at")), tokens[k - 1].is(.personNoun),
                  (tokens[k - 2].folds(to: "a") || tokens[k - 2].folds(to: "an") || tokens[k - 2].folds(to: "the")) else { continue }
            // `a spokesman for the ministry, Ahmed Ali,` is named: his words are his.
            let after = mentions[index].range.upperBound
            if after + 1 < tokens.count, tokens[after].isMark(","), tokens[after + 1].isCapitalized { continue }
            roles[tokens[k - 1].folded] = mentions[index].id
        }
    }

    /// The first person (else the first actor) of the sentence that holds a partial quote.
    private static func subject(before index: Int, sentenceStart: Int, _ mentions: Mentions) -> String? {
        firstNamed(mentions, from: sentenceStart, to: index)?.id
    }

    /// The passage as written, without a trailing comma that belongs to the attribution.
    /// A paragraph that opens a quotation and never closes it, the quote running on into the
    /// next paragraph as news writes long quotes: its words, when there are four or more.
    static func openingPassage(_ tokens: [Token], bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let first = tokens.first, first.isQuoteMark, first.inQuote,
              !tokens.dropFirst().contains(where: \.isQuoteMark) else { return nil }
        let span = 1..<tokens.count
        guard wordCount(span, tokens) >= minimumWords else { return nil }
        return text(of: span, tokens, bytes)
    }

    private static func text(of span: Range<Int>, _ tokens: [Token], _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let first = span.first, let last = span.last else { return "" }
        let start = tokens[first].start
        var end = tokens[last].end
        // A comma or a space after an ASCII byte is a character of its own: dropped from the
        // bytes. After any other, the characters decide (it may belong to one before it).
        while end > start, bytes[end - 1] == 0x2C || bytes[end - 1] == 0x20, end - 1 == start || bytes[end - 2] < 0x80 { end -= 1 }
        var text = String(decoding: bytes[start..<end], as: UTF8.self)
        while let end = text.last, end == "," || end == " " { text.removeLast() }
        return text
    }
}
