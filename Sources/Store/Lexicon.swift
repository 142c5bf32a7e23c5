/// The classes a folded word belongs to in the data files, as bits, so that a rule asks
/// `token.is(.speechVerb)` instead of hashing the word into one set after another.
struct WordClasses: OptionSet, Sendable {
    let rawValue: UInt64

    static let title = WordClasses(rawValue: 1 << 0)
    static let personNoun = WordClasses(rawValue: 1 << 1)
    static let honorific = WordClasses(rawValue: 1 << 2)
    static let speechVerb = WordClasses(rawValue: 1 << 3)
    static let speechDocument = WordClasses(rawValue: 1 << 4)
    static let placeSuffix = WordClasses(rawValue: 1 << 5)
    static let locationPreposition = WordClasses(rawValue: 1 << 6)
    static let directionWord = WordClasses(rawValue: 1 << 7)
    static let cityWord = WordClasses(rawValue: 1 << 8)
    static let organizationWord = WordClasses(rawValue: 1 << 9)
    static let groupWord = WordClasses(rawValue: 1 << 10)
    static let stateKeyword = WordClasses(rawValue: 1 << 11)
    static let stopword = WordClasses(rawValue: 1 << 12)
    static let particle = WordClasses(rawValue: 1 << 13)
    static let month = WordClasses(rawValue: 1 << 14)
    static let nameSuffix = WordClasses(rawValue: 1 << 15)
    /// A capitalized word of some gazetteer name (`Democratic` of `Syrian Democratic Forces`).
    static let knownWord = WordClasses(rawValue: 1 << 16)
    /// A single-word seat of power or sub-national name, which can be a given name too.
    static let seatWord = WordClasses(rawValue: 1 << 17)
    static let clauseWord = WordClasses(rawValue: 1 << 18)
    static let pronoun = WordClasses(rawValue: 1 << 19)
    static let indefinite = WordClasses(rawValue: 1 << 20)
    static let actingVerb = WordClasses(rawValue: 1 << 21)
    static let governmentWord = WordClasses(rawValue: 1 << 22)
    static let auxiliary = WordClasses(rawValue: 1 << 23)
    static let placeNoun = WordClasses(rawValue: 1 << 24)
    static let arabicArticle = WordClasses(rawValue: 1 << 25)
    static let stateLocationPreposition = WordClasses(rawValue: 1 << 26)
    static let deFactoMarker = WordClasses(rawValue: 1 << 27)
}

/// Every word the data files know, folded, with its classes and the gazetteer names it
/// starts: one table lookup per token gives a rule all it asks of the word.
struct Lexicon: Sendable {
    /// Word -> its index in `classesByWord` and `entriesByWord`.
    private let table: WordTable
    private let classesByWord: [WordClasses]
    /// Gazetteer names whose first word this is, longest first.
    private let entriesByWord: [[Gazetteer.Entry]]

    static let shared = Lexicon(gazetteer: Gazetteer.shared)

    init(gazetteer: Gazetteer) {
        var lexemes: [String: (classes: WordClasses, entries: [Gazetteer.Entry])] = [:]
        func add(_ words: some Sequence<String>, _ wordClass: WordClasses) {
            for word in words { lexemes[TextFolding.fold(word), default: ([], [])].classes.insert(wordClass) }
        }
        add(Knowledge.titleWords, .title)
        add(Knowledge.personNouns, .personNoun)
        add(Knowledge.honorifics, .honorific)
        add(Knowledge.speechVerbs, .speechVerb)
        add(Knowledge.speechDocuments, .speechDocument)
        add(Knowledge.placeSuffixes, .placeSuffix)
        add(Knowledge.locationPrepositions, .locationPreposition)
        add(Knowledge.directionWords, .directionWord)
        add(Knowledge.cityWords, .cityWord)
        add(Knowledge.organizationWords, .organizationWord)
        add(Knowledge.groupWords, .groupWord)
        add(Knowledge.stateKeywords, .stateKeyword)
        add(Knowledge.personWords.stopwords, .stopword)
        add(Knowledge.personWords.particles, .particle)
        add(Knowledge.personWords.arabic_articles, .arabicArticle)
        add(EnglishCalendar.months, .month)
        add(Knowledge.nameSuffixes, .nameSuffix)
        add(gazetteer.knownWords, .knownWord)
        add(gazetteer.seatWords, .seatWord)
        add(Knowledge.quoteWords.clause_words, .clauseWord)
        add(Knowledge.quoteWords.pronouns, .pronoun)
        add(Knowledge.quoteWords.indefinites, .indefinite)
        add(Knowledge.places.acting_verbs, .actingVerb)
        add(Knowledge.places.government_words, .governmentWord)
        add(Knowledge.places.auxiliaries, .auxiliary)
        add(Knowledge.places.place_nouns, .placeNoun)
        add(Knowledge.places.state_location_prepositions, .stateLocationPreposition)
        add(Knowledge.institutions.de_facto_markers, .deFactoMarker)
        for (word, entries) in gazetteer.byFirstWord { lexemes[word, default: ([], [])].entries = entries }
        let words = Array(lexemes.keys)
        table = WordTable(words)
        classesByWord = words.map { lexemes[$0]!.classes }
        entriesByWord = words.map { lexemes[$0]!.entries }
    }

    func classes(of word: String) -> WordClasses {
        // An ASCII word is looked up with its capitals lowered as it is read, not folded first.
        var word = word
        let value = word.withUTF8 { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? table.value(ofLowering: bytes) : table.value(of: TextFolding.fold(String(decoding: bytes, as: UTF8.self)))
        }
        return value.map { classesByWord[$0] } ?? []
    }

    /// Gives every word its classes and the longest gazetteer name starting at it: the one
    /// matching pass over a paragraph. Names must match their capitals as written (`US` is
    /// not `us`); only the first letter of a lowercase word may differ; the last word of a
    /// name may carry a possessive (`India's Ministry`).
    func annotate(_ tokens: inout [Token]) {
        // In place, through the buffer: no copy of a token or of its folded text per word.
        tokens.withUnsafeMutableBufferPointer { tokens in
            for index in tokens.indices where tokens[index].isWord {
                // `…'s` or `…’s` (E2 80 99 73): the byte before the `s` tells whether a stem is worth looking up.
                var (word, possessive) = tokens[index].folded.utf8.withContiguousStorageIfAvailable { b in
                    (table.value(of: b), b.count > 2 && b[b.count - 1] == 0x73 && (b[b.count - 2] == 0x27 || b[b.count - 2] == 0x99))
                } ?? (table.value(of: tokens[index].folded), tokens[index].folded.utf8.last == 0x73)
                if let word { tokens[index].classes = classesByWord[word] }
                if word.map({ entriesByWord[$0].isEmpty }) ?? true, possessive {
                    let folded = tokens[index].folded
                    let stem = Gazetteer.withoutPossessive(folded)
                    if stem.utf8.count != folded.utf8.count { word = table.value(of: stem) }
                }
                guard let word else { continue }
                for entry in entriesByWord[word] where index + entry.foldedWords.count <= tokens.count {
                    if matches(entry, at: index, UnsafeBufferPointer(tokens)) {
                        tokens[index].entry = entry
                        break
                    }
                }
            }
        }
    }

    private func matches(_ entry: Gazetteer.Entry, at index: Int, _ tokens: UnsafeBufferPointer<Token>) -> Bool {
        let last = entry.foldedWords.count - 1
        for offset in 0...last {
            guard tokens[index + offset].isWord else { return false }
            if entry.form == .acronym {
                if tokens[index + offset].text != entry.words[offset] { return false }
                continue
            }
            let folded = tokens[index + offset].folded == entry.foldedWords[offset]
                || (offset == last && Gazetteer.withoutPossessive(tokens[index + offset].folded) == entry.foldedWords[offset])
            if !folded || (entry.capitalized[offset] && !tokens[index + offset].isCapitalized) { return false }
        }
        return true
    }
}
