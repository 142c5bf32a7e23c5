import Foundation

/// Finds the persons of an article: capitalized names that the text marks as persons by a
/// title before them (`Foreign Minister Mevlut Cavusoglu`), an apposition after them
/// (`Jens Stoltenberg, NATO Secretary General`), a verb of saying beside them, a later use
/// of their surname alone, or a tweet signed with them.
struct PersonFinder {
    struct Person {
        var id: String
        var name: String
        var roles: [String] = []
        var affiliation: String?
        var aliases: [String] = []
        /// The rule that first made the name a person's, for `normalize --explain`.
        var evidence = ""
    }

    let gazetteer: Gazetteer
    private(set) var people: [String: Person] = [:]
    private(set) var order: [String] = []
    /// Folded full name or surname -> person id.
    private var byName: [String: String] = [:]
    /// Folded first word of a multi-word name -> the persons whose name starts with it.
    /// (A list, not a set: it holds one id or a few, told apart without hashing.)
    private var byFirstWord: [String: [String]] = [:]
    /// The last word of every key of `byName` and every key of `byFirstWord`: most name runs
    /// are no one's, and the filter tells so without hashing a string.
    private var nameWords = WordFilter()

    static let particles: Set<String> = Set(Knowledge.personWords.particles)
    static let stopwords: Set<String> = Set(Knowledge.personWords.stopwords)

    /// Room for the persons of a typical liveblog, so that the tables are not rehashed as
    /// they grow from nothing (a fixed size: the tables still grow past it).
    static let expectedPersons = 16

    init(gazetteer: Gazetteer) {
        self.gazetteer = gazetteer
        people.reserveCapacity(Self.expectedPersons)
        byName.reserveCapacity(4 * Self.expectedPersons)
        byFirstWord.reserveCapacity(Self.expectedPersons)
    }

    /// Whether a token can be part of a person's name.
    func isNameToken(_ token: Token) -> Bool {
        guard token.isWord, token.length > 1 else { return false }
        // `el-Shennawy`, `al-Julani`: an Arabic article before a capitalized name.
        if !token.isCapitalized {
            guard token.hasHyphen, let dash = token.text.utf8.firstIndex(of: 0x2D) else { return false }
            let article = String(token.text[..<dash])
            let rest = token.text[token.text.index(after: dash)...]
            return Lexicon.shared.classes(of: article).contains(.arabicArticle) && rest.first?.isUppercase == true
        }
        if !token.classes.isDisjoint(with: [.stopword, .title, .honorific, .month]) { return false }
        if token.length <= Self.longestAcronym && token.isAllCapitals { return false }
        if token.hasDigit { return false }
        return true
    }

    static let windows = Knowledge.windows.person
    /// Words this short in capitals are acronyms (`NATO`, `UNHCR`), not names.
    static let longestAcronym = windows.longest_acronym
    static let appositionTitleReach = windows.apposition_title_reach

    /// `S Lam`, `J Smith`: a capital letter alone before a name word is an initial of it.
    func isInitial(_ tokens: [Token], _ index: Int) -> Bool {
        let token = tokens[index]
        guard token.isWord, token.length == 1, token.isCapitalized, !token.is(.stopword) else { return false }
        let next = index + 1
        return next < tokens.count && tokens[next].isWord && tokens[next].length > 1 && isNameToken(tokens[next])
            && tokens[next].entry == nil
    }

    /// Runs of name tokens in a paragraph: (start, end) token indexes, end exclusive.
    /// Words a known name covers where they stand (`Syrian Democratic Forces`) are not a
    /// person's, though the same word elsewhere may be (`Lucia`, not `Saint Lucia`).
    /// They are appended to `runs` (one list for the article); returns where they stand in it.
    func nameRuns(_ tokens: [Token], into runs: inout [Range<Int>]) -> Range<Int> {
        let first = runs.count
        // Which tokens a known name covers: a scratch buffer on the stack, not an array per paragraph.
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: tokens.count) { covered in
            covered.initialize(repeating: false)
            nameRuns(tokens, covered: covered, into: &runs)
        }
        return first..<runs.count
    }

    private func nameRuns(_ tokens: [Token], covered: UnsafeMutableBufferPointer<Bool>, into runs: inout [Range<Int>]) {
        var k = 0
        while k < tokens.count {
            if tokens[k].mayStartName, let entry = gazetteer.match(tokens, at: k), !isSeatInName(tokens, k) {
                for index in k..<min(tokens.count, k + entry.words.count) { covered[index] = true }
                k += entry.words.count
            } else {
                k += 1
            }
        }
        func isName(_ index: Int) -> Bool { !covered[index] && isNameToken(tokens[index]) }
        var i = 0
        while i < tokens.count {
            // Both an initial and a name word are capitalized, or hyphenated (`al-Julani`).
            guard tokens[i].isCapitalized || tokens[i].hasHyphen else { i += 1; continue }
            let initial = !covered[i] && isInitial(tokens, i)
            guard initial || isName(i) else { i += 1; continue }
            var j = i + 1
            while j < tokens.count {
                if isName(j) { j += 1; continue }
                // `Elizabeth II`, `Ferdinand Marcos Jr`: a generational suffix ends a name.
                if tokens[j].is(.nameSuffix), tokens[j].isCapitalized { j += 1; break }
                // Particles inside a name: `Abu Mohammad al-Julani`, `Ursula von der Leyen`.
                if tokens[j].isWord, tokens[j].hasHyphen, Self.particles.contains(particleStem(tokens[j])) {
                    j += 1
                    continue
                }
                var next = j
                while next < tokens.count, tokens[next].is(.particle) { next += 1 }
                if next > j, next < tokens.count, isName(next) {
                    j = next + 1
                    continue
                }
                break
            }
            runs.append(i..<j)
            i = j
        }
    }

    /// A capital's name next to a name word is part of a person's name: `Victoria Nuland`,
    /// `Alan Kingston`, where a capital (Seychelles', Jamaica's) is a given name or a surname.
    func isSeatInName(_ tokens: [Token], _ index: Int) -> Bool {
        guard tokens[index].isCapitalized else { return false }
        func isPlainName(_ other: Int) -> Bool {
            other >= 0 && other < tokens.count && isNameToken(tokens[other]) && !(tokens[other].mayStartName && gazetteer.match(tokens, at: other) != nil)
        }
        if tokens[index].is(.seatWord) { return isPlainName(index + 1) || isPlainName(index - 1) }
        // `Foreign Minister Israel Katz`: a state's one-word name between a title and a name word.
        guard tokens[index].mayStartName, let entry = gazetteer.match(tokens, at: index), entry.kind == .country, entry.form == .name,
              entry.words.count == 1, index > 0 else { return false }
        return tokens[index - 1].is(.personNoun) && isPlainName(index + 1)
    }

    private func particleStem(_ token: Token) -> String {
        String(token.folded.split(separator: "-").first ?? "")
    }

    // MARK: - Discovery

    /// Registers every person the paragraph gives evidence for.
    mutating func discover(in tokens: [Token], runs: ArraySlice<Range<Int>>, surnamesInArticle: Set<String>, isHeadline: Bool = false) {
        var previousWasPlace = false
        for index in runs.indices {
            let run = runs[index]
            // `the towns of Ras al-Ain and Tal Abyad`: a run joined by `and` to a place is one too.
            let joinedToPlace = previousWasPlace && index > runs.startIndex && run.lowerBound - runs[index - 1].upperBound == 1
                && tokens[run.lowerBound - 1].folds(to: "and")
            previousWasPlace = joinedToPlace || isPlace(run, tokens)
            guard !previousWasPlace else { continue }
            // `Kurdish Red Crescent` is an institution, whatever stands beside it.
            guard !run.contains(where: { tokens[$0].isCapitalized && !tokens[$0].classes.isDisjoint(with: [.organizationWord, .groupWord]) })
            else { continue }
            if run.count == 1 {
                // A lone capitalized word is a person only right after a title that names a
                // person (`President Erdogan`, not `Defence Force`) or an honorific.
                let personTitle = run.lowerBound > 0 && tokens[run.lowerBound - 1].is(.personNoun)
                // `Biden: Russia should stop …`: a headline that opens with a name and a colon
                // gives that person's words.
                let headlineSpeaker = isHeadline && run.lowerBound == 0 && run.upperBound < tokens.count
                    && tokens[run.upperBound].isMark(":") && tokens[run.lowerBound].entry == nil
                // The title before is read only for a word that is a person: most are not.
                if personTitle || headlineSpeaker || isHonorific(before: run.lowerBound, tokens) {
                    register(run, tokens, role: titleRun(endingBefore: run.lowerBound, tokens), evidence: personTitle ? "person: a name word after a person's title"
                             : headlineSpeaker ? "person: a name and a colon opening the headline" : "person: a name word after an honorific")
                }
                continue
            }
            let titleBefore = titleRun(endingBefore: run.lowerBound, tokens)
            let apposition = appositionRole(after: run.upperBound, tokens)
            // `"…," Tomás Ibáñez, who leads …, said`: a name where an attribution stands.
            let afterQuote = run.lowerBound >= 1 && tokens[run.lowerBound - 1].isQuoteMark && !tokens[run.lowerBound - 1].inQuote
                || run.lowerBound >= 2 && tokens[run.lowerBound - 1].isMark(",") && tokens[run.lowerBound - 2].isQuoteMark
                    && !tokens[run.lowerBound - 2].inQuote
            // `…, Muhannad Hadi, told reporters`: the comma closing an apposition before the verb.
            let commaThenVerb = run.upperBound < tokens.count && tokens[run.upperBound].isMark(",") && isSpeechVerb(tokens, run.upperBound + 1)
            let saying = isSpeechVerb(tokens, run.lowerBound - 1) || isSpeechVerb(tokens, run.upperBound) || commaThenVerb
                || isAccordingTo(before: run.lowerBound, tokens) || afterQuote
            let owner = run.count <= Self.windows.most_words_for_possessive_owner ? possessiveOwner(before: run.lowerBound, tokens) : nil
            // `the ministry spokesman, Wang Wenbin,`, `Russia's ambassador to the UN, Ivan
            // Petrov,`: a description with a title, a comma, the name.
            let titleBeforeComma = run.lowerBound >= 2 && tokens[run.lowerBound - 1].isMark(",")
                ? titleRun(endingBefore: run.lowerBound - 1, tokens) ?? describedBefore(comma: run.lowerBound - 1, tokens) : nil
            let surnameReused = surnamesInArticle.contains(Self.foldedWithoutPossessive(tokens[run.upperBound - 1]))
            let listedWithPerson = index > runs.startIndex && isConjunction(between: runs[index - 1], run, tokens)
                && people[byName[Self.foldedWords(runs[index - 1], tokens)] ?? ""] != nil
            if titleBefore != nil || apposition != nil || saying || surnameReused || listedWithPerson || owner != nil
                || titleBeforeComma != nil || speaksAfterAside(run.upperBound, tokens) || isHonorific(before: run.lowerBound, tokens) {
                let evidence = titleBefore != nil ? "person: title before the name" : apposition != nil ? "person: apposition with a title after the name"
                    : saying ? "person: a verb of saying or a quote beside the name" : surnameReused ? "person: its surname used alone in the article"
                    : listedWithPerson ? "person: listed with another person" : owner != nil ? "person: after a state's or organization's possessive"
                    : titleBeforeComma != nil ? "person: a description with a title, a comma, the name"
                    : isHonorific(before: run.lowerBound, tokens) ? "person: after an honorific" : "person: an aside, then a verb of saying"
                register(run, tokens, role: titleBefore ?? apposition ?? titleBeforeComma ?? owner.map { ("", $0) }, evidence: evidence)
            }
        }
    }

    /// `Israel's Benjamin Netanyahu`, `Al Jazeera's Mia Lund`: the state or organization
    /// whose possessive stands right before a name.
    func possessiveOwner(before index: Int, _ tokens: [Token]) -> String? {
        guard index > 0, Gazetteer.withoutPossessive(tokens[index - 1].text) != tokens[index - 1].text else { return nil }
        for start in max(0, index - Self.windows.possessive_owner_reach)..<index {
            if let entry = gazetteer.match(tokens, at: start), start + entry.words.count == index { return entry.id }
        }
        return nil
    }

    /// `Russia's ambassador to the UN,` before a name: the clause before the comma, when it
    /// holds a title word among its first words; its text and the state or organization it names.
    func describedBefore(comma: Int, _ tokens: [Token]) -> (text: String, affiliation: String?)? {
        var start = comma
        while start > 0, tokens[start - 1].isWord || tokens[start - 1].isMark("'"), comma - start < Self.windows.description_before_comma { start -= 1 }
        // The clause opens the sentence, or follows a comma or a closing quote (`"…," UN
        // regional coordinator for the crisis, Muhannad Hadi, told`).
        guard start < comma, start == 0 || [",", ".", ":", ";"].contains(tokens[start - 1].text)
            || (tokens[start - 1].isQuoteMark && !tokens[start - 1].inQuote) else { return nil }
        guard tokens[start..<min(comma, start + Self.windows.description_title_reach)].contains(where: { $0.is(.title) }) else { return nil }
        var affiliation: String?
        for index in start..<comma where affiliation == nil { affiliation = gazetteer.match(tokens, at: index)?.id }
        var words = tokens[start..<comma].map(\.text)
        if let first = words.first, ["the", "a", "an"].contains(first.lowercased()) { words.removeFirst() }
        return (words.joined(separator: " "), affiliation)
    }

    /// `Mia Lund, reporting from Ankara, said`: a name, an aside between commas, a verb of saying.
    func speaksAfterAside(_ end: Int, _ tokens: [Token]) -> Bool {
        guard end < tokens.count, tokens[end].isMark(",") else { return false }
        var k = end + 1
        while k < tokens.count, k - end <= Self.windows.aside_length, !tokens[k].isMark("."), !tokens[k].isQuoteMark {
            if tokens[k].isMark(","), isSpeechVerb(tokens, k + 1) { return true }
            k += 1
        }
        return false
    }

    /// Registers the author of a tweet: a person unless the name is an organization's.
    mutating func discoverTweetAuthor(_ author: String, handle: String) -> String? {
        let words = Tokenizer.words(of: author)
        guard !words.isEmpty else { return nil }
        if let known = resolve(words) {
            addAlias(handle, to: known)
            return known
        }
        // An ASCII signature has a parenthesis where it has the byte.
        if (author.utf8.allSatisfy { $0 < 0x80 } ? author.utf8.contains(0x28) : author.contains("(")) || words.contains(where: { Knowledge.organizationWords.contains($0) || Knowledge.groupWords.contains($0) }) {
            return nil
        }
        let id = register(words, role: nil, evidence: "person: the author of a tweet")
        addAlias(handle, to: id)
        return id
    }

    /// Registers the person a run of name tokens names (`register` on their words), with the
    /// tokens' folded forms: no word folded again.
    @discardableResult
    mutating func register(_ run: Range<Int>, _ tokens: [Token], role: (text: String, affiliation: String?)?,
                           evidence: String) -> String {
        var words: [String] = [], folded: [String] = []
        words.reserveCapacity(run.count)
        folded.reserveCapacity(run.count)
        for k in run where !Self.isHonorific(tokens[k]) {
            words.append(tokens[k].text)
            folded.append(tokens[k].folded)
        }
        if let last = words.last, let k = run.last(where: { !Self.isHonorific(tokens[$0]) }), tokens[k].mayBePossessive {
            let stem = Gazetteer.withoutPossessive(last)
            words[words.count - 1] = stem
            folded[folded.count - 1] = TextFolding.fold(stem)
        }
        return register(cleaned: words, folded: folded, role: role, evidence: evidence)
    }

    @discardableResult
    mutating func register(_ rawWords: [String], role: (text: String, affiliation: String?)?, evidence: String = "") -> String {
        let words = Self.nameWords(rawWords)
        return register(cleaned: words, folded: words.map(TextFolding.fold), role: role, evidence: evidence)
    }

    /// `register` on the words of a name already without honorifics and possessive, and their
    /// folded forms (the folded name is theirs joined: folding goes character by character).
    private mutating func register(cleaned words: [String], folded foldedWords: [String], role: (text: String, affiliation: String?)?,
                                   evidence: String) -> String {
        let name = ActorExtractor.spaced(words)
        let folded = ActorExtractor.spaced(foldedWords)
        // `Ferdinand Marcos Jr`: the surname is the last word before a generational suffix.
        var last = words.count - 1
        if words.count > 1, Knowledge.nameSuffixes.contains(words[last]) { last -= 1 }
        let foldedSurname = words.count > 1 ? foldedWords[last] : ""
        let id: String
        if nameWords.mayContain(lastWordOf: folded), let existing = byName[folded] {
            id = existing
        } else if words.count > 1, nameWords.mayContain(lastWordOf: foldedSurname), let owner = byName[foldedSurname],
                  let person = people[owner],
                  Tokenizer.words(of: person.name).count == 1 {
            // `Erdogan` was seen alone first; now the full name arrives: upgrade, and take the
            // full name's id, so that the person has the same id in every article.
            id = ActorExtractor.slug(folded: folded)
            var upgraded = person
            upgraded.id = id
            upgraded.name = name
            if !upgraded.aliases.contains(person.name) { upgraded.aliases.append(person.name) }
            people[owner] = nil
            people[id] = upgraded
            order = order.map { $0 == owner ? id : $0 }
            for (key, value) in byName where value == owner { byName[key] = id }
            for (key, value) in byFirstWord where value.contains(owner) {
                var owners = value.filter { $0 != owner }
                if !owners.contains(id) { owners.append(id) }
                byFirstWord[key] = owners
            }
            setName(folded, id)
        } else {
            id = ActorExtractor.slug(folded: folded)
            people[id] = Person(id: id, name: name)
            order.append(id)
            setName(folded, id)
        }
        // The person is changed in place from here: one lookup, no copy of it.
        let slot = people.index(forKey: id)!
        if words.count > 1 {
            if byFirstWord[foldedWords[0], default: []].contains(id) == false { byFirstWord[foldedWords[0], default: []].append(id) }
            nameWords.insert(lastWordOf: foldedWords[0])
            // `Elizabeth II` has no surname at all.
            if last > 0 {
                if byName[foldedSurname] == nil { setName(foldedSurname, id) }
                _ = Self.addAlias(words[last], to: &people.values[slot])
            }
            // `von der Leyen`, `bin Salman`: the surname with its particles, as prose uses it.
            var first = last
            while first > 1, words[first - 1].first?.isLowercase == true, Self.particles.contains(foldedWords[first - 1]) {
                first -= 1
            }
            if first < last, Self.addAlias(ActorExtractor.spaced(words[first...last]), to: &people.values[slot]) {
                let foldedAlias = ActorExtractor.spaced(foldedWords[first...last])
                if byName[foldedAlias] == nil { setName(foldedAlias, id) }
            }
        }
        Self.note(evidence: evidence, role: role, of: &people.values[slot])
        return id
    }

    /// The first rule that made the person one, and a role the text gives them.
    private static func note(evidence: String, role: (text: String, affiliation: String?)?, of person: inout Person) {
        if person.evidence.isEmpty { person.evidence = evidence }
        if let role {
            if !role.text.isEmpty, !person.roles.contains(role.text) { person.roles.append(role.text) }
            if person.affiliation == nil { person.affiliation = role.affiliation }
        }
    }

    mutating func addAlias(_ alias: String, to id: String) {
        // Another name of the person finds them too, unless it is another's.
        guard let slot = people.index(forKey: id), Self.addAlias(alias, to: &people.values[slot]) else { return }
        let folded = TextFolding.fold(alias)
        if byName[folded] == nil { setName(folded, id) }
    }

    /// A folded name or alias that finds the person `id`, its last word noted in the filter.
    private mutating func setName(_ folded: String, _ id: String) {
        byName[folded] = id
        nameWords.insert(lastWordOf: folded)
    }

    /// Adds `alias` to the person's aliases unless it is their name or one already; whether it did.
    private static func addAlias(_ alias: String, to person: inout Person) -> Bool {
        guard alias != person.name, !person.aliases.contains(alias) else { return false }
        person.aliases.append(alias)
        return true
    }

    /// The words of a name as written, without honorifics (`Dr`, `Mr`) and without the
    /// possessive of its last word (`Boris Johnson's office` names Boris Johnson).
    static func nameWords(_ words: [String]) -> [String] {
        var cleaned = words.filter { !isHonorific($0) }
        if let last = cleaned.last { cleaned[cleaned.count - 1] = Gazetteer.withoutPossessive(last) }
        return cleaned
    }

    /// `Dr`, `Mr.`: an honorific, with or without its dot.
    static func isHonorific(_ word: String) -> Bool {
        let bare = word.utf8.last == 0x2E ? String(word.dropLast()) : word
        return Lexicon.shared.classes(of: bare).contains(.honorific)
    }

    /// `isHonorific` of a token's text, from its classes (the lexicon's lookup of its folded
    /// form) unless a dot ends it.
    static func isHonorific(_ token: Token) -> Bool { token.isHonorific }

    /// A token's text without its possessive, folded: `Turkey's` -> `turkey`. Most words have
    /// none, and their folded form is the token's own.
    static func foldedWithoutPossessive(_ token: Token) -> String {
        guard token.mayBePossessive else { return token.folded }
        let stem = Gazetteer.withoutPossessive(token.text)
        return stem.utf8.count == token.text.utf8.count ? token.folded : TextFolding.fold(stem)
    }

    /// The folded words of a run joined by spaces: `fold` of their text so joined.
    static func foldedWords(_ run: Range<Int>, _ tokens: [Token]) -> String {
        if run.count == 1 { return tokens[run.lowerBound].folded }
        var key = ""
        key.reserveCapacity(run.reduce(run.count) { $0 + tokens[$1].folded.utf8.count })
        for k in run {
            if k > run.lowerBound { key += " " }
            key += tokens[k].folded
        }
        return key
    }

    /// The rule that made `id` a person's, read in place.
    func evidence(of id: String) -> String? {
        people.index(forKey: id).map { people.values[$0].evidence }
    }

    /// The person a run of name words refers to: the full name, or a known surname.
    func resolve(_ words: [String]) -> String? {
        let cleaned = Self.nameWords(words)
        guard !cleaned.isEmpty else { return nil }
        // Every key below ends with the last word (folding goes character by character).
        guard nameWords.mayContain(lastWordOf: TextFolding.fold(cleaned.last!)) else { return nil }
        if let id = byName[TextFolding.fold(cleaned.joined(separator: " "))] { return id }
        if let id = byName[TextFolding.fold(cleaned.last!)], cleaned.count <= Self.windows.most_words_for_surname_match {
            // `Tayyip Erdogan` and `Erdogan` are the person whose surname it is.
            return id
        }
        if cleaned.count == 1 {
            // Names written family name first (`Hua Chunying` ... `Hua said`): the first word
            // of exactly one known person.
            if let owners = byFirstWord[TextFolding.fold(cleaned[0])], owners.count == 1 { return owners.first }
        }
        return nil
    }

    /// `resolve` on a run of name tokens, from their folded forms: no word array, and the
    /// full name's key made only for a name of two words or more.
    func resolve(_ run: Range<Int>, _ tokens: [Token]) -> String? {
        var count = 0, last = -1
        for k in run where !Self.isHonorific(tokens[k]) {
            count += 1
            last = k
        }
        guard count > 0 else { return nil }
        let lastWord = Self.foldedWithoutPossessive(tokens[last])
        // Every key below ends with this word: a word no name ends with (or starts, for
        // `byFirstWord`) is no one's.
        guard nameWords.mayContain(lastWordOf: lastWord) else { return nil }
        var full = lastWord
        if count > 1 {
            full = ""
            for k in run where k != last && !Self.isHonorific(tokens[k]) {
                full += tokens[k].folded
                full += " "
            }
            full += lastWord
        }
        if let id = byName[full] { return id }
        // A single word is its own full name: looked up once.
        if count > 1, count <= Self.windows.most_words_for_surname_match, let id = byName[lastWord] { return id }
        if count == 1, let owners = byFirstWord[lastWord], owners.count == 1 { return owners.first }
        return nil
    }

    // MARK: - Evidence

    /// `NATO Secretary General`, `Turkish President`, `foreign ministry spokeswoman`: the
    /// title words (with the names of states and organizations among them) right before.
    func titleRun(endingBefore end: Int, _ tokens: [Token]) -> (text: String, affiliation: String?)? {
        // `County Health Department Director Dr Maria Okafor`: an honorific between the title and the name.
        var index = end
        if index > 0, tokens[index - 1].is(.honorific) { index -= 1 }
        var start = index
        var sawTitle = false
        var affiliation: String?
        while start > 0 {
            let token = tokens[start - 1]
            guard token.isWord else { break }
            // `New Zealand Prime Minister`, `Hong Kong Chief Executive`: a multi-word name in the title.
            if let first = (max(0, start - Self.windows.name_in_title_reach)..<(start - 1)).first(where: { from in
                tokens[from].mayStartName && gazetteer.match(tokens, at: from).map { from + $0.words.count == start } ?? false
            }), let entry = gazetteer.match(tokens, at: first) {
                affiliation = affiliation ?? entry.id
                start = first
                continue
            }
            if token.is(.title) {
                sawTitle = true
            } else if let entry = gazetteer.match(tokens, at: start - 1), entry.words.count == 1 {
                affiliation = affiliation ?? entry.id
            } else if sawTitle, (token.folds(to: "of") || token.folds(to: "for") || token.folds(to: "the")), start - 2 >= 0,
                      tokens[start - 2].is(.title) || gazetteer.match(tokens, at: start - 2) != nil {
                // `Chief of Defence Staff`, `Minister of Foreign Affairs`
            } else if token.isCapitalized, sawTitle, tokens[start].isCapitalized, !token.is(.stopword),
                      !token.is(.honorific), gazetteer.match(tokens, at: start - 1) == nil {
                // `Public Works Minister`: capitalized words that run into a title are part of it.
            } else if token.isCapitalized, sawTitle || token.is(.knownWord),
                      start - 2 >= 0, gazetteer.match(tokens, at: start - 2) != nil || tokens[start - 2].is(.title) {
                // the inner word of a multi-word name (`European Council`)
                if let entry = gazetteer.match(tokens, at: start - 2) { affiliation = affiliation ?? entry.id }
            } else {
                break
            }
            start -= 1
        }
        guard sawTitle, start < index else { return nil }
        while start < index, (tokens[start].folds(to: "the") || tokens[start].folds(to: "of") || tokens[start].folds(to: "for")) { start += 1 }
        let text = ActorExtractor.text(of: start..<index, tokens)
        return (text, affiliation)
    }

    /// `, a spokesman for the National Liberation Front,` `, head of foreign policy of the EU`
    func appositionRole(after index: Int, _ tokens: [Token]) -> (text: String, affiliation: String?)? {
        guard index < tokens.count, tokens[index].isMark(",") else { return nil }
        var i = index + 1
        if i < tokens.count, (tokens[i].folds(to: "a") || tokens[i].folds(to: "an") || tokens[i].folds(to: "the")) { i += 1 }
        let start = i
        var end = i
        var sawTitle = false
        var affiliation: String?
        while end < tokens.count, tokens[end].isWord, end - start < Self.windows.apposition_length {
            if end - start < Self.appositionTitleReach, tokens[end].is(.title) { sawTitle = true }
            if tokens[end].mayStartName, let entry = gazetteer.match(tokens, at: end) {
                affiliation = affiliation ?? entry.id
                end += entry.words.count
                continue
            }
            if tokens[end].is(.speechVerb) || tokens[end].folds(to: "who") { break }
            end += 1
        }
        guard sawTitle, end > start else { return nil }
        return (ActorExtractor.text(of: start..<end, tokens), affiliation)
    }

    func isSpeechVerb(_ tokens: [Token], _ index: Int) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].is(.speechVerb)
    }

    func isAccordingTo(before index: Int, _ tokens: [Token]) -> Bool {
        index >= 2 && tokens[index - 1].folds(to: "to") && tokens[index - 2].folded == "according"
    }

    func isHonorific(before index: Int, _ tokens: [Token]) -> Bool {
        index >= 1 && tokens[index - 1].is(.honorific)
    }

    private func isConjunction(between first: Range<Int>, _ second: Range<Int>, _ tokens: [Token]) -> Bool {
        second.lowerBound - first.upperBound == 1 && (tokens[first.upperBound].folds(to: "and") || tokens[first.upperBound].isMark(","))
    }

    /// A run that names a place: after a location word (`in`, `near`, `towns of`), or ending
    /// in a place word (`Valley`), or the object of `the city of`.
    func isPlace(_ run: Range<Int>, _ tokens: [Token]) -> Bool {
        if let last = run.last, tokens[last].is(.placeSuffix) { return true }
        var i = run.lowerBound - 1
        while i >= 0, tokens[i].is(.directionWord), !tokens[i].folds(to: "the") { i -= 1 }
        guard i >= 0 else { return false }
        if tokens[i].folds(to: "to"), i >= 1, tokens[i - 1].folded == "according" { return false }
        if tokens[i].is(.locationPreposition) { return true }
        if tokens[i].folds(to: "of") || tokens[i].folds(to: "and"), i >= 1, tokens[i - 1].is(.placeNoun) { return true }
        return false
    }
}

/// A set of words that may answer `maybe` for a word it lacks, never `no` for one it holds: 512
/// bits of their FNV-1a hash, so that a lookup that would miss is told without hashing a string.
struct WordFilter {
    private var bits = [UInt64](repeating: 0, count: 8)

    /// Notes the word after the last space of `text` (all of it when it has none).
    mutating func insert(lastWordOf text: String) {
        let bit = Self.bit(lastWordOf: text)
        bits[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    func mayContain(lastWordOf text: String) -> Bool {
        let bit = Self.bit(lastWordOf: text)
        return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    private static func bit(lastWordOf text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable(bit) ?? Array(text.utf8).withUnsafeBufferPointer(bit)
    }

    private static func bit(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = bytes.count
        while start > 0, bytes[start - 1] != 0x20 { start -= 1 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in start..<bytes.count { hash = (hash ^ UInt64(bytes[k])) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash >> 55)
    }
}
