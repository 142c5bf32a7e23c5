/// Every name the data files give an actor, indexed for longest-match lookup on tokens.
struct Gazetteer: Sendable {
    /// How a name refers to its actor; the extractor's rules differ by form.
    /// `subdivision`: a state, province or county, an actor only where its government acts.
    enum Form: Sendable { case name, demonym, seat, acronym, subdivision }

    /// A class, so that the match table of a paragraph holds a reference, not a copy.
    final class Entry: Sendable {
        let id: String
        let canonical: String
        let kind: ActorKind
        let form: Form
        /// The name's words, as written in the data, and folded.
        let words: [String]
        let foldedWords: [String]
        /// Whether each word starts with a capital in the data (then it must in the text too).
        let capitalized: [Bool]
        /// How `normalize --explain` names the rule of a mention of this entry.
        let rule: String

        init(id: String, canonical: String, kind: ActorKind, form: Form, words: [String], foldedWords: [String], capitalized: [Bool]) {
            self.id = id
            self.canonical = canonical
            self.kind = kind
            self.form = form
            self.words = words
            self.foldedWords = foldedWords
            self.capitalized = capitalized
            rule = "gazetteer: \(kind.rawValue) \(form)"
        }
    }

    struct Country: Decodable {
        var id: String
        var name: String
        var names: [String]
        var demonyms: [String]
        var seats: [String]
    }

    struct Named: Decodable {
        var id: String
        var name: String
        var names: [String]
    }

    /// Entries by their first word (case-folded), longest first.
    private(set) var byFirstWord: [String: [Entry]] = [:]
    /// Canonical names and kinds by id.
    private(set) var records: [String: (name: String, kind: ActorKind)] = [:]
    /// Every demonym, folded, and the country it names.
    private(set) var demonyms: [String: String] = [:]
    /// Words that are part of some known name (folded), so that a person finder does not
    /// take `Syrian Democratic` for a person.
    private(set) var knownWords: Set<String> = []
    /// Single-word seats of power (`Moscow`, `Victoria`), folded: a metonym for a state, or
    /// a person's given name when another name word follows (`Victoria Nuland`).
    private(set) var seatWords: Set<String> = []
    /// Every name of an actor, as folded words, by id.
    private(set) var foldedNames: [String: [[String]]] = [:]

    static let shared: Gazetteer = {
        struct Countries: Decodable { var countries: [Country] }
        struct Organizations: Decodable { var organizations: [Named] }
        struct Groups: Decodable { var groups: [Named] }
        var gazetteer = Gazetteer()
        for country in Knowledge.load(Countries.self, from: "countries").countries {
            gazetteer.records[country.id] = (country.name, .country)
            for name in country.names { gazetteer.add(country.id, country.name, .country, .name, name) }
            for demonym in country.demonyms {
                gazetteer.add(country.id, country.name, .country, .demonym, demonym)
                gazetteer.demonyms[TextFolding.fold(demonym)] = country.id
            }
            for seat in Set(country.seats) { gazetteer.add(country.id, country.name, .country, .seat, seat) }
        }
        for (list, kind) in [(Knowledge.load(Organizations.self, from: "organizations").organizations, ActorKind.organization),
                             (Knowledge.load(Groups.self, from: "groups").groups, ActorKind.group)] {
            for entry in list {
                gazetteer.records[entry.id] = (entry.name, kind)
                for name in [entry.name] + entry.names {
                    let isAcronym = name.count <= 6 && name.uppercased() == name
                    gazetteer.add(entry.id, entry.name, kind, isAcronym ? .acronym : .name, name)
                }
            }
        }
        for subdivision in Knowledge.subdivisions where gazetteer.records[subdivision.id] == nil {
            gazetteer.records[subdivision.id] = (subdivision.name, .organization)
            gazetteer.add(subdivision.id, subdivision.name, .organization, .subdivision, subdivision.name)
        }
        // A seat or a subdivision only: a word that is also a state's name, a demonym or an
        // organization is not (`Victoria Nuland`, `Virginia Raggi`: it can be a given name).
        gazetteer.seatWords = Set(gazetteer.byFirstWord.compactMap { word, entries in
            let single = entries.filter { $0.words.count == 1 }
            return !single.isEmpty && single.allSatisfy { $0.form == .seat || $0.form == .subdivision } ? word : nil
        })
        for key in gazetteer.byFirstWord.keys {
            gazetteer.byFirstWord[key]?.sort { $0.words.count > $1.words.count }
        }
        return gazetteer
    }()

    private mutating func add(_ id: String, _ canonical: String, _ kind: ActorKind, _ form: Form, _ name: String) {
        var words = Tokenizer.words(of: name)
        // `the Kremlin` is matched as `Kremlin`; the article before it is the text's business.
        // `The Hague` and `The Valley` keep theirs: it is part of the name.
        if words.count > 1, words[0] == "the" { words.removeFirst() }
        guard let first = words.first else { return }
        let entry = Entry(id: id, canonical: canonical, kind: kind, form: form, words: words,
                          foldedWords: words.map(TextFolding.fold), capitalized: words.map { $0.first?.isUppercase == true })
        byFirstWord[TextFolding.fold(first), default: []].append(entry)
        foldedNames[id, default: []].append(entry.foldedWords)
        // A subdivision's words (`New`, `North`) say nothing of a person's name.
        if form != .subdivision {
            for word in words where word.first?.isUppercase == true { knownWords.insert(TextFolding.fold(word)) }
        }
    }

    /// The longest entry whose words start at `index`, from the paragraph's match table
    /// (`Lexicon.annotate`): every rule reads the one matching pass.
    @inline(__always)
    func match(_ tokens: [Token], at index: Int) -> Entry? {
        index >= 0 && index < tokens.count ? tokens[index].entry : nil
    }

    /// `Turkey's` -> `Turkey`, `Turkey’s` -> `Turkey`; any other text as it is. Read from the
    /// end of the bytes: an apostrophe and an `s` are whole characters wherever they stand.
    static func withoutPossessive(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count > 2, utf8.last == 0x73 else { return text }
        var end = utf8.index(before: utf8.endIndex)
        end = utf8.index(before: end)
        if utf8[end] != 0x27 {
            // `’` is E2 80 99.
            guard utf8.count > 4, utf8[end] == 0x99 else { return text }
            let middle = utf8.index(before: end), lead = utf8.index(before: middle)
            guard utf8[middle] == 0x80, utf8[lead] == 0xE2 else { return text }
            end = lead
        }
        guard end > utf8.startIndex else { return text }
        return String(text[..<end])
    }

}
