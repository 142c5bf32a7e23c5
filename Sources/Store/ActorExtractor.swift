import Foundation

/// Finds the actors and quotes of an article's updates.
///
/// Persons are discovered over the whole article first (lede included), so that a surname
/// alone resolves to the full name wherever it stands. Then each update is read on its own:
/// states under any of their names, organizations and groups from the data files or by the
/// shape of their names, persons, and the tweet authors; then the quotes of its body.
public struct ActorExtractor: Sendable {
    let gazetteer: Gazetteer

    public init() {
        gazetteer = Gazetteer.shared
    }

    /// Returns the article with each update's `actors` and `quotes` filled and the
    /// article's `actors` table built. Headline, body and embeds are already clean.
    public func annotate(_ input: consuming Article) -> Article {
        var trail: [Provenance]?
        return annotate(input, trail: &trail)
    }

    /// The rule behind each actor mention and quote of the article's updates, with the
    /// words it read, in the order they stand: what `liveblog normalize --explain` prints.
    public func explain(_ input: Article) -> [Provenance] {
        var trail: [Provenance]? = []
        _ = annotate(input, trail: &trail)
        return trail ?? []
    }

    private func annotate(_ input: consuming Article, trail: inout [Provenance]?) -> Article {
        // Taken, not copied: the updates are filled in place.
        var article = consume input
        var finder = PersonFinder(gazetteer: gazetteer)
        // No token of an earlier article is alive here: the vocabulary may start again.
        Vocabulary.current.makeRoom()
        let ledeTokens = article.lede.map { Tokenizer.tokens(of: $0) }
        let updateTokens = article.updates.map { update in
            var paragraphs: [[Token]] = []
            paragraphs.reserveCapacity(1 + update.body.count)
            paragraphs.append(Tokenizer.tokens(of: update.headline))
            for paragraph in update.body { paragraphs.append(Tokenizer.tokens(of: paragraph)) }
            return paragraphs
        }
        // Name runs depend only on a paragraph's tokens: found once, used by every pass, all in
        // one list (a paragraph's runs are a range of it), not a list a paragraph.
        var allRuns: [Range<Int>] = []
        let ledeRuns = ledeTokens.map { finder.nameRuns($0, into: &allRuns) }
        let updateRuns = updateTokens.map { $0.map { finder.nameRuns($0, into: &allRuns) } }
        let runs = allRuns
        /// Every paragraph in order, the lede's then each update's headline and body, with its
        /// name runs and whether it is a headline: read twice, never copied into one list.
        func forEachParagraph(_ body: (_ tokens: [Token], _ runs: ArraySlice<Range<Int>>, _ isHeadline: Bool) -> Void) {
            for (tokens, range) in zip(ledeTokens, ledeRuns) { body(tokens, runs[range], false) }
            for (paragraphs, ranges) in zip(updateTokens, updateRuns) {
                for index in paragraphs.indices { body(paragraphs[index], runs[ranges[index]], index == 0) }
            }
        }

        // Surnames used alone where a person stands: beside a verb of saying, after a title,
        // or as a headline's subject (`Erdogan, Putin discuss …`).
        var surnames: Set<String> = []
        // Room for an article's few, so that the set is not rehashed as it grows from nothing.
        surnames.reserveCapacity(Self.expectedSurnames)
        forEachParagraph { tokens, runs, isHeadline in
            for run in runs where run.count == 1 {
                let i = run.lowerBound
                let before = i > 0 ? tokens[i - 1] : nil
                let subjectOfHeadline = isHeadline && (before == nil || before!.isMark(",") || before!.folds(to: "and"))
                if finder.isSpeechVerb(tokens, i - 1) || finder.isSpeechVerb(tokens, i + 1) || subjectOfHeadline
                    || (before?.is(.personNoun) ?? false) || finder.isHonorific(before: i, tokens) {
                    surnames.insert(Gazetteer.withoutPossessive(tokens[i].folded))
                }
            }
        }
        forEachParagraph { tokens, runs, isHeadline in
            finder.discover(in: tokens, runs: runs, surnamesInArticle: surnames, isHeadline: isHeadline)
        }

        var book = ActorBook(gazetteer: gazetteer)
        // By index: an iterator would hold the array, and the first update filled would copy it whole.
        for index in article.updates.indices {
            // Its fields read in place: a copy of the update would count a reference to each.
            let updateID = article.updates[index].id
            book.startUpdate()
            var ids: [String] = []
            var quotes: [Quote] = []
            // The person a pronoun after a quote refers to: the update's last speaker, else
            // the first person it names (its subject, usually, in a headline or lede).
            var firstPerson: String?
            var lastSpeaker: String?
            /// Every mention of the update so far, for `the ministry said`: a list a paragraph.
            /// (One list for the update: a paragraph's mentions are its last ones, no list a paragraph.)
            var updateMentions: [QuoteExtractor.Mention] = []
            /// Organizations named by a short form of their name here (`Red Cross`), with its words.
            var shortForms: [(id: String, words: [String])] = []
            var openQuotation: String?
            /// Unnamed speakers by their title word, and whom they speak for.
            var roles: [String: String] = [:]
            for (paragraphIndex, tokens) in updateTokens[index].enumerated() {
                let first = updateMentions.count
                self.mentions(in: tokens, runs: runs[updateRuns[index][paragraphIndex]], finder: &finder, book: &book, into: &updateMentions)
                let mentions = updateMentions[first...]
                // By index, the mentions' fields read in place: no copy of each mention.
                for k in mentions.indices { Self.note(mentions[k].id, in: &ids) }
                if trail != nil {
                    for mention in mentions {
                        trail?.append(Provenance(update: updateID, kind: .actor, actor: mention.id, rule: mention.rule,
                                                 surface: Self.text(of: mention.range, tokens)))
                    }
                }
                for k in mentions.indices where mentions[k].kind == .organization && mentions[k].range.count >= 2 {
                    let mention = mentions[k]
                    if let entry = gazetteer.match(tokens, at: mention.range.lowerBound), entry.form == .name,
                       entry.words.count == mention.range.count, !Self.spells(entry.canonical, mention.range, tokens) {
                        shortForms.append((mention.id, tokens[mention.range].map(\.folded)))
                    }
                }
                QuoteExtractor.noteUnnamedRoles(in: tokens, mentions, into: &roles)
                if paragraphIndex > 0 {
                    // The passages' text comes from the paragraph's bytes, read in place; only a
                    // paragraph with a quotation mark needs them.
                    var paragraph = tokens.contains(where: \.isQuoteMark) ? article.updates[index].body[paragraphIndex - 1] : ""
                    paragraph.withUTF8 { bytes in
                        let quoteOnly = tokens.first?.isQuoteMark == true && tokens.last.map { $0.isQuoteMark || $0.isMark(".") } == true
                            && mentions.allSatisfy { tokens[$0.range.lowerBound].inQuote }
                        let found = QuoteExtractor.quotes(in: tokens, bytes: bytes, mentions: mentions, of: updateMentions[...],
                                                          previousSpeaker: lastSpeaker, lastPerson: lastSpeaker ?? firstPerson,
                                                          paragraphIsQuoteOnly: quoteOnly, roles: roles)
                        // A quotation left open in the paragraph before is this paragraph's first speaker's.
                        if let opening = openQuotation, let first = found.first, tokens.first?.isQuoteMark == true {
                            quotes.append(Quote(actor: first.speaker, text: opening))
                            trail?.append(Provenance(update: updateID, kind: .quote, actor: first.speaker,
                                                     rule: "quote: left open in the paragraph before, this paragraph's speaker", surface: opening))
                        }
                        openQuotation = found.isEmpty ? QuoteExtractor.openingPassage(tokens, bytes: bytes) : nil
                        for (speaker, text, rule) in found {
                            quotes.append(Quote(actor: speaker, text: text))
                            trail?.append(Provenance(update: updateID, kind: .quote, actor: speaker, rule: rule, surface: text))
                            Self.note(speaker, in: &ids)
                            lastSpeaker = speaker
                        }
                    }
                }
                if firstPerson == nil, let person = mentions.firstIndex(where: { $0.kind == .person }) { firstPerson = mentions[person].id }
            }
            for case .tweet(let tweet) in article.updates[index].embeds {
                let id: String
                let rule: String
                if let (known, kind) = knownAuthor(tweet, book: &book) {
                    id = known
                    rule = "tweet author: a state, organization or group of the data"
                    book.count(id, kind: kind)
                    book.addAlias(tweet.handle, to: id)
                } else if let person = finder.discoverTweetAuthor(tweet.author, handle: tweet.handle) {
                    id = person
                    rule = "tweet author: a person"
                    book.count(id, kind: .person)
                } else {
                    id = book.discovered(name: tweet.author, kind: .organization, alias: tweet.handle)
                    rule = "tweet author: an organization by the shape of its signature"
                    book.count(id, kind: .organization)
                }
                Self.note(id, in: &ids)
                trail?.append(Provenance(update: updateID, kind: .actor, actor: id, rule: rule, surface: "\(tweet.author) (\(tweet.handle))"))
            }
            // `The Lebanese Red Cross said … the Red Cross added`: a short form inside the name of
            // another organization the update names is that organization.
            for (short, words) in shortForms {
                guard let longer = ids.first(where: { other in
                    other != short && book.kind(of: other) == .organization
                        && book.foldedNames(of: other).contains { Self.contains($0, words) }
                }) else { continue }
                book.move(short, to: longer)
                ids = ids.reduce(into: []) { result, id in
                    let kept = id == short ? longer : id
                    if !result.contains(kept) { result.append(kept) }
                }
                quotes = quotes.map { $0.actor == short ? Quote(actor: longer, text: $0.text) : $0 }
                if trail != nil {
                    trail = trail!.map { entry in
                        guard entry.update == updateID, entry.actor == short else { return entry }
                        var moved = entry
                        moved.actor = longer
                        moved.rule += "; a short form of \(longer)'s name"
                        return moved
                    }
                }
            }
            article.updates[index].actors = ids
            article.updates[index].quotes = quotes
        }
        article.actors = book.records(persons: finder)
        return article
    }

    /// The words of `range` as written, joined by spaces: one string made to its length, no
    /// array of words.
    static func text(of range: Range<Int>, _ tokens: [Token]) -> String {
        guard range.count > 1 else { return range.isEmpty ? "" : tokens[range.lowerBound].text }
        return spaced(range.lazy.map { tokens[$0].text })
    }

    /// `words.joined(separator: " ")`, written into one string made to its length.
    static func spaced<Words: Collection<String>>(_ words: Words) -> String {
        var length = words.count - 1
        for word in words { length += word.utf8.count }
        guard length > 0 else { return "" }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var offset = 0
            for (index, var word) in words.enumerated() {
                // (By position: an empty word still has its separator.)
                if index > 0 {
                    buffer[offset] = 0x20
                    offset += 1
                }
                offset += word.withUTF8 { word in
                    UnsafeMutableBufferPointer(rebasing: buffer[offset...]).initialize(from: word).1
                }
            }
            return offset
        }
    }

    /// Adds an actor to an update's, in order of first appearance. (A function of its own, not a
    /// closure over the list: a captured list is checked for exclusive access at every use.)
    private static func note(_ id: String, in ids: inout [String]) {
        if ids.contains(id) { return }
        if ids.isEmpty { ids.reserveCapacity(expectedActorsPerUpdate) }
        ids.append(id)
    }

    /// Surnames an article typically uses alone.
    static let expectedSurnames = 8

    /// Actors an update typically names, and its mentions, reserved at the first.
    static let expectedActorsPerUpdate = 8
    static let expectedMentionsPerUpdate = 16

    /// Whether `text` is the words of `range` as written, joined by spaces (the last one
    /// without its possessive when `possessive` is false): compared on the bytes, no string made.
    static func spells(_ text: String, _ range: Range<Int>, _ tokens: [Token], possessive: Bool = true) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var offset = 0
            for k in range {
                if k > range.lowerBound {
                    guard offset < bytes.count, bytes[offset] == 0x20 else { return false }
                    offset += 1
                }
                var word = possessive || k < range.upperBound - 1 ? tokens[k].text : Gazetteer.withoutPossessive(tokens[k].text)
                let matched = word.withUTF8 { word in
                    guard offset + word.count <= bytes.count else { return false }
                    for j in 0..<word.count where bytes[offset + j] != word[j] { return false }
                    return true
                }
                guard matched else { return false }
                offset += word.utf8.count
            }
            return offset == bytes.count
        }
    }

    /// Whether `words` holds `part` as a contiguous run, and is longer.
    static func contains(_ words: [String], _ part: [String]) -> Bool {
        guard words.count > part.count, !part.isEmpty else { return false }
        return (0...(words.count - part.count)).contains { Array(words[$0..<($0 + part.count)]) == part }
    }

    // MARK: - Mentions

    /// Appends the paragraph's mentions to `found`, in order.
    func mentions(in tokens: [Token], runs nameRuns: ArraySlice<Range<Int>>, finder: inout PersonFinder, book: inout ActorBook,
                  into found: inout [QuoteExtractor.Mention]) {
        // The runs are in order and never overlap: the next one not behind the scan is the
        // only one that can start at a token.
        var nextRun = nameRuns.startIndex
        var i = 0
        while i < tokens.count {
            guard tokens[i].isWord else { i += 1; continue }
            while nextRun < nameRuns.endIndex, nameRuns[nextRun].lowerBound < i { nextRun += 1 }
            if tokens[i].isCapitalized, !tokens[i].is(.stopword), let (range, id, kind, rule) = institution(at: i, tokens, book: &book) {
                book.count(id, kind: kind)
                if found.isEmpty { found.reserveCapacity(Self.expectedMentionsPerUpdate) }
                found.append(.init(id: id, kind: kind, range: range, rule: rule))
                i = range.upperBound
                continue
            }
            // `Victoria Nuland`: a capital's name inside a person's name is the person's.
            if tokens[i].mayStartName, let entry = gazetteer.match(tokens, at: i), !finder.isSeatInName(tokens, i) {
                let range = i..<(i + entry.words.count)
                if actsHere(entry, range, tokens) {
                    book.count(entry, surfaceOf: range, in: tokens)
                    if found.isEmpty { found.reserveCapacity(Self.expectedMentionsPerUpdate) }
                    found.append(.init(id: entry.id, kind: entry.kind, range: range, rule: entry.rule))
                }
                i = range.upperBound
                continue
            }
            if nextRun < nameRuns.endIndex, nameRuns[nextRun].lowerBound == i {
                let run = nameRuns[nextRun]
                if !finder.isPlace(run, tokens), let id = finder.resolve(run, tokens) {
                    book.count(id, kind: .person)
                    if found.isEmpty { found.reserveCapacity(Self.expectedMentionsPerUpdate) }
                    found.append(.init(id: id, kind: .person, range: run, rule: finder.evidence(of: id) ?? "person"))
                }
                i = run.upperBound
                continue
            }
            i += 1
        }
    }

    /// A tweet signed by a state, an organization or a group of the data (`NATO`, `World
    /// Health Organization (WHO)`, `Al Jazeera English`) or by an institution (`Turkish
    /// Ministry of Defence`), not a person. A state's name that only starts the signature is
    /// not enough: `Jordan Henderson` is a person.
    private func knownAuthor(_ tweet: Tweet, book: inout ActorBook) -> (String, ActorKind)? {
        // The signature without flags or other symbols; a trailing `(WHO)` is an acronym, not
        // one of the name's words.
        // ASCII has no emoji presentation and no other symbol: most signatures are kept as they are.
        let name = tweet.author.utf8.allSatisfy { $0 < 0x80 } ? tweet.author
            : String(tweet.author.unicodeScalars.filter { !$0.properties.isEmojiPresentation
                && $0.properties.generalCategory != .otherSymbol && !(0x1F1E6...0x1F1FF).contains($0.value) }.map(Character.init))
        let tokens = Tokenizer.tokens(of: name)
        let nameEnd = tokens.firstIndex { $0.isMark("(") } ?? tokens.count
        let wordCount = tokens[..<nameEnd].filter(\.isWord).count
        guard let first = tokens.firstIndex(where: \.isWord), first < nameEnd else { return nil }
        if let entry = gazetteer.match(tokens, at: first), entry.words.count == wordCount || entry.kind != .country {
            return (entry.id, entry.kind)
        }
        if let (range, id, kind, _) = institution(at: first, tokens, book: &book), range.upperBound == nameEnd {
            return (id, kind)
        }
        return nil
    }

    /// Whether a gazetteer name names its actor here, or only a place or a language.
    private func actsHere(_ entry: Gazetteer.Entry, _ range: Range<Int>, _ tokens: [Token]) -> Bool {
        switch entry.form {
        case .seat:
            // `Ankara said`, `between Moscow and Ankara` act; `talks in Moscow` is a place.
            if range.upperBound + 2 < tokens.count, tokens[range.upperBound].isMark(","),
               (tokens[range.upperBound + 1].folds(to: "the") || tokens[range.upperBound + 1].folds(to: "a")), tokens[range.upperBound + 2].folded == "capital" {
                return false
            }
            // `Beirut Governor`, `Moscow Mayor`, `Kabul airport`: the city, not its state.
            if range.upperBound < tokens.count, tokens[range.upperBound].is(.cityWord) { return false }
            return !Self.isLocation(before: range.lowerBound, tokens)
        case .subdivision:
            return Self.governs(range, tokens)
        case .demonym:
            // `known as Serekaniye in Kurdish`: a language.
            let before = range.lowerBound > 0 ? tokens[range.lowerBound - 1].folded : ""
            let after = range.upperBound < tokens.count ? tokens[range.upperBound] : nil
            return !(before == "in" && (after == nil || !after!.isWord))
        case .name where entry.kind == .country:
            return !Self.isLocation(before: range.lowerBound, tokens, prepositions: .stateLocationPreposition)
        case .name, .acronym:
            return true
        }
    }

    /// `in Ontario`, `across northern Syria`: a location preposition (and direction words)
    /// before a name make it a place. `between Moscow and Ankara` does not.
    static func isLocation(before start: Int, _ tokens: [Token], prepositions: WordClasses = .locationPreposition) -> Bool {
        var j = start - 1
        while j >= 0, tokens[j].is(.directionWord) { j -= 1 }
        return j >= 0 && tokens[j].is(prepositions) && tokens[j].folded != "between"
    }

    /// A state, province or county acts through its government: `Ontario has banned …`,
    /// `Ontario, the largest province, ordered …`, `the Ontario government`. Named only as a
    /// place, or in a title (`Ontario Premier Doug Ford`), it is not an actor.
    static func governs(_ range: Range<Int>, _ tokens: [Token]) -> Bool {
        if isLocation(before: range.lowerBound, tokens) { return false }
        var k = range.upperBound
        guard k < tokens.count else { return false }
        if tokens[k].is(.governmentWord) { return true }
        // An aside between commas after the name: `Ontario, Canada's largest province, has`.
        if tokens[k].isMark(",") {
            var close = k + 1
            while close < tokens.count, close - k <= Knowledge.windows.person.aside_length, !tokens[close].isMark(","),
                  !tokens[close].isMark(".") { close += 1 }
            if close < tokens.count, tokens[close].isMark(",") { k = close + 1 }
        }
        guard k < tokens.count, tokens[k].isWord else { return false }
        if tokens[k].is(.actingVerb) || tokens[k].is(.speechVerb) { return true }
        // `has banned`, `will lift`, `also ordered`
        if tokens[k].is(.auxiliary), k + 1 < tokens.count, tokens[k + 1].isWord {
            let verb = tokens[k + 1]
            return verb.is(.actingVerb) || verb.is(.speechVerb) || (verb.isLowercase && verb.folded.hasSuffix("ed"))
        }
        return false
    }

    /// A capitalized name with an organization or group word in it (`Kurdish Red Crescent`,
    /// `International Rescue Committee (IRC)`); a state's ministry or army is the state.
    private func institution(at start: Int, _ tokens: [Token], book: inout ActorBook)
        -> (Range<Int>, String, ActorKind, String)? {
        guard tokens[start].isCapitalized, !tokens[start].is(.stopword) else { return nil }
        var end = start
        var keyword: String?
        /// Past the `of` or `for` after the organization word, where `and` joins the complement.
        var inComplement = false
        while end < tokens.count, tokens[end].isWord || tokens[end].isMark("&") {
            // `Ministry of Economy and Trade`, `Food and Agriculture Organization` are one name;
            // `the Health Ministry and the Red Cross`, `Turkey and Kurdish Red Crescent` two.
            if tokens[end].folds(to: "and") {
                if keyword != nil, !inComplement || Self.namesAnotherInstitution(after: end, tokens) { break }
                if keyword == nil, let entry = gazetteer.match(tokens, at: start), start + entry.words.count == end { break }
            }
            if keyword != nil, tokens[end].folds(to: "of") || tokens[end].folds(to: "for") { inComplement = true }
            // `County Health Department Director Dr …`: a person's title after the name ends it.
            if keyword != nil, tokens[end].is(.personNoun) || tokens[end].is(.honorific) { break }
            if tokens[end].isCapitalized || !tokens[end].isWord {
                if tokens[end].isCapitalized, !tokens[end].classes.isDisjoint(with: [.organizationWord, .groupWord]) { keyword = tokens[end].text }
                // `P&O Maritime`, `AT&T`: an acronym with an ampersand or a plus is a company's.
                if keyword == nil, Self.isPunctuatedAcronym(tokens[end]) { keyword = tokens[end].text }
                end += 1
            } else if Self.joinsAName(tokens[end]), end + 1 < tokens.count,
                      tokens[end + 1].isCapitalized, keyword != nil || end + 2 < tokens.count {
                end += 1
            } else {
                break
            }
        }
        while end > start, !tokens[end - 1].isCapitalized { end -= 1 }
        // `the self-declared Republic of Ambazonia`: a de facto authority, a group.
        if keyword == nil, start > 0, tokens[start - 1].is(.deFactoMarker), end > start, gazetteer.match(tokens, at: start) == nil {
            let name = Self.text(of: start..<end, tokens)
            return (start..<end, book.discovered(name: name, kind: .group, alias: nil), .group, "group: a de facto authority")
        }
        guard let keyword, end - start >= 2 || Self.isPunctuatedAcronym(tokens[start]) else { return nil }
        if let entry = gazetteer.match(tokens, at: start), entry.words.count >= end - start { return nil }
        // A run that starts with a state (`Turkish Ministry of Defence`, `US State Department`)
        // is that state's institution: the state acting.
        // So is one after a state's possessive: `China's National Health Commission`.
        if let first = gazetteer.match(tokens, at: start), first.kind == .country,
           Lexicon.shared.classes(of: keyword).contains(.stateKeyword)
            || Gazetteer.withoutPossessive(tokens[start + first.words.count - 1].folded) != tokens[start + first.words.count - 1].folded {
            return (start..<end, first.id, .country, "country: a state's institution")
        }
        // `Ontario Ministry of Health`: a sub-national government's institution is that government.
        if let first = gazetteer.match(tokens, at: start), first.form == .subdivision,
           Lexicon.shared.classes(of: keyword).contains(.stateKeyword) {
            return (start..<end, first.id, .organization, "organization: a sub-national government's institution")
        }
        // A multi-word org from the data that this run only extends is left to the gazetteer.
        if let entry = gazetteer.match(tokens, at: start), entry.kind != .country, entry.form != .subdivision { return nil }
        let name = Self.text(of: start..<end, tokens)
        var alias: String?
        if end + 2 < tokens.count, tokens[end].isMark("("), tokens[end + 1].isWord, tokens[end + 2].isMark(")"),
           tokens[end + 1].text == tokens[end + 1].text.uppercased() {
            alias = tokens[end + 1].text
        }
        let kind: ActorKind = Knowledge.groupWords.contains(keyword) ? .group : .organization
        let id = book.discovered(name: name, kind: kind, alias: alias)
        return (start..<end, id, kind, Self.isPunctuatedAcronym(tokens[start]) && keyword == tokens[start].text
            ? "organization: a punctuated acronym" : "\(kind.rawValue): by the shape of its name ('\(keyword)')")
    }

    /// `of`, `for`, `and`, `on`, `the`: the small words inside an institution's name
    /// (`Ministry of Economy and Trade`), compared one by one, no array made per token.
    private static func joinsAName(_ token: Token) -> Bool {
        token.folds(to: "of") || token.folds(to: "for") || token.folds(to: "and") || token.folds(to: "on") || token.folds(to: "the")
    }

    /// `P&O`, `AT&T`, `Canal+`: capitals joined by an ampersand, or ending in a plus.
    static func isPunctuatedAcronym(_ token: Token) -> Bool {
        token.isWord && token.isAllCapitals && token.isCapitalized && (token.text.utf8.contains(0x26) || token.text.utf8.last == 0x2B)
    }

    /// Whether the capitalized words after `and` hold an organization word of their own:
    /// then they name another institution, not the end of this one's name.
    static func namesAnotherInstitution(after and: Int, _ tokens: [Token]) -> Bool {
        var k = and + 1
        while k < tokens.count, tokens[k].isWord, tokens[k].isCapitalized || tokens[k].folds(to: "of") || tokens[k].folds(to: "for")
                || tokens[k].folds(to: "the") {
            if tokens[k].isCapitalized, !tokens[k].classes.isDisjoint(with: [.organizationWord, .groupWord]) { return true }
            if k == and + 1, tokens[k].entry != nil { return true }
            k += 1
        }
        return k == and + 1
    }

    /// The id of a name: its folded ASCII letters and digits, runs of anything else one dash.
    static func slug(_ text: String) -> String {
        // ASCII, most names, needs no folding: the loop lowers its capitals.
        slug(folded: text.utf8.allSatisfy { $0 < 0x80 } ? text : TextFolding.fold(text))
    }

    /// `slug` of a text already folded (or ASCII).
    static func slug(folded: String) -> String {
        var folded = folded
        // A dash stands for one byte or more that it replaces: the slug is never longer.
        return folded.withUTF8 { source in
            var pendingDash = false
            let slug = String(unsafeUninitializedCapacity: source.count) { target in
                var count = 0
                for byte in source {
                    let isAlphanumeric = (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                    if isAlphanumeric {
                        if pendingDash && count > 0 {
                            target[count] = 0x2D
                            count += 1
                        }
                        target[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                        count += 1
                        pendingDash = false
                    } else {
                        pendingDash = true
                    }
                }
                return count
            }
            return slug.isEmpty ? "actor" : slug
        }
    }
}
