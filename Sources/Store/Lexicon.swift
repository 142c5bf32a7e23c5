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
    /// Word -> its number, which indexes `classesByWord` and `namesByWord`.
    private let table: WordTable
    private let classesByWord: [WordClasses]
    /// Per word: the range of `names` that start with it, longest first.
    private let namesByWord: [Range<Int32>]
    private let names: [Name]
    /// The words of every name, as numbers, and whether each must be capitalized: `Name`s index them.
    private let nameWords: [Int32]
    private let nameCapitalized: [Bool]

    /// A gazetteer name as the matching pass reads it: its words are numbers of `table`, so
    /// that a token's word is compared as one integer, not as a string.
    private struct Name {
        unowned(unsafe) let entry: Gazetteer.Entry
        let firstWord: Int
        let wordCount: Int
        let isAcronym: Bool
    }

    /// What `lookUp` tells of a folded word.
    struct Lookup {
        var classes: WordClasses = []
        /// The word's number, or -1 when no data file has it.
        var number: Int32 = -1
        /// The number of its stem when it is a possessive (`India's` -> `india`), else -1.
        var stemNumber: Int32 = -1
        /// The word whose names may start here (`namesByWord`), or -1 for none.
        var candidates: Int32 = -1
    }

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
        for (word, entries) in gazetteer.byFirstWord {
            lexemes[word, default: ([], [])].entries = entries
            // Every word of a name gets a number, so that the matching pass compares numbers.
            for entry in entries {
                for folded in entry.foldedWords where lexemes[folded] == nil { lexemes[folded] = ([], []) }
            }
        }
        let words = Array(lexemes.keys)
        let table = WordTable(words)
        self.table = table
        classesByWord = words.map { lexemes[$0]!.classes }
        var namesByWord: [Range<Int32>] = []
        var names: [Name] = []
        var nameWords: [Int32] = []
        var nameCapitalized: [Bool] = []
        for word in words {
            let first = Int32(names.count)
            for entry in lexemes[word]!.entries {
                names.append(Name(entry: entry, firstWord: nameWords.count, wordCount: entry.foldedWords.count,
                                  isAcronym: entry.form == .acronym))
                nameWords += entry.foldedWords.map { Int32(table.value(of: $0)!) }
                nameCapitalized += entry.capitalized
            }
            namesByWord.append(first..<Int32(names.count))
        }
        self.namesByWord = namesByWord
        self.names = names
        self.nameWords = nameWords
        self.nameCapitalized = nameCapitalized
    }

    func classes(of word: String) -> WordClasses {
        // An ASCII word is looked up with its capitals lowered as it is read, not folded first.
        var word = word
        let value = word.withUTF8 { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? table.value(ofLowering: bytes) : table.value(of: TextFolding.fold(String(decoding: bytes, as: UTF8.self)))
        }
        return value.map { classesByWord[$0] } ?? []
    }

    /// What the data files say of a folded word: its classes, its number, and which gazetteer
    /// names may start at it. A possessive (`…'s`, `…’s`) that starts no name itself starts
    /// its stem's (`India's Ministry`).
    func lookUp(folded: String) -> Lookup {
        // `…'s` or `…’s` (E2 80 99 73): the byte before the `s` tells whether a stem is worth looking up.
        var folded = folded
        let (word, possessive) = folded.withUTF8 { b in
            (table.value(of: b), b.count > 2 && b[b.count - 1] == 0x73 && (b[b.count - 2] == 0x27 || b[b.count - 2] == 0x99))
        }
        var lookup = Lookup()
        if let word {
            lookup.classes = classesByWord[word]
            lookup.number = Int32(word)
        }
        if possessive {
            let stem = Gazetteer.withoutPossessive(folded)
            if stem.utf8.count != folded.utf8.count, let number = table.value(of: stem) { lookup.stemNumber = Int32(number) }
        }
        if let word, !namesByWord[word].isEmpty {
            lookup.candidates = Int32(word)
        } else if lookup.stemNumber >= 0, !namesByWord[Int(lookup.stemNumber)].isEmpty {
            lookup.candidates = lookup.stemNumber
        }
        return lookup
    }

    /// Gives every word the longest gazetteer name that starts at it: the one matching pass
    /// over a paragraph, on the candidates `lookUp` gave each word. Names must match their
    /// capitals as written (`US` is not `us`); only the first letter of a lowercase word may
    /// differ; the last word of a name may carry a possessive.
    func matchNames(_ tokens: UnsafeMutableBufferPointer<Token>) {
        names.withUnsafeBufferPointer { names in
            nameWords.withUnsafeBufferPointer { nameWords in
                nameCapitalized.withUnsafeBufferPointer { nameCapitalized in
                    for index in tokens.indices where tokens[index].candidates >= 0 {
                        for name in namesByWord[Int(tokens[index].candidates)] {
                            let name = names[Int(name)]
                            guard index + name.wordCount <= tokens.count else { continue }
                            if matches(name, at: index, UnsafeBufferPointer(tokens), nameWords, nameCapitalized) {
                                tokens[index].entry = name.entry
                                break
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func matches(_ name: Name, at index: Int, _ tokens: UnsafeBufferPointer<Token>,
                         _ nameWords: UnsafeBufferPointer<Int32>, _ nameCapitalized: UnsafeBufferPointer<Bool>) -> Bool {
        let last = name.wordCount - 1
        // The second word first: it tells most names that start with a common word apart at once.
        if last >= 1, tokens[index + 1].lexicalNumber != nameWords[name.firstWord + 1],
           last > 1 || tokens[index + 1].stemNumber != nameWords[name.firstWord + 1] {
            return false
        }
        for offset in 0...last {
            let token = tokens[index + offset]
            guard token.isWord else { return false }
            let word = nameWords[name.firstWord + offset]
            if name.isAcronym {
                // Written exactly so: `US`, not `Us`.
                if token.lexicalNumber != word || token.text != name.entry.words[offset] { return false }
                continue
            }
            guard token.lexicalNumber == word || (offset == last && token.stemNumber == word) else { return false }
            if nameCapitalized[name.firstWord + offset] && !token.isCapitalized { return false }
        }
        return true
    }
}
