/// Every name the data files give an actor, indexed for longest-match lookup on tokens.
struct Gazetteer: Sendable {
    /// How a name refers to its actor; the extractor's rules differ by form.
    enum Form: Sendable { case name, demonym, seat, acronym }

    struct Entry: Sendable {
        var id: String
        var canonical: String
        var kind: ActorKind
        var form: Form
        /// The name's words, as written in the data, and folded.
        var words: [String]
        var foldedWords: [String]
        /// Whether each word starts with a capital in the data (then it must in the text too).
        var capitalized: [Bool]
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
        // A seat only: a word that is also a state's name, a demonym or an organization is not.
        gazetteer.seatWords = Set(gazetteer.byFirstWord.compactMap { word, entries in
            let single = entries.filter { $0.words.count == 1 }
            return !single.isEmpty && single.allSatisfy { $0.form == .seat } ? word : nil
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
        for word in words where word.first?.isUppercase == true { knownWords.insert(TextFolding.fold(word)) }
    }

    /// The longest entry whose words start at `index`. Names must match their capitals as
    /// written (`US` is not `us`); only the first letter of a lowercase word may differ.
    func match(_ tokens: [Token], at index: Int) -> Entry? {
        guard tokens[index].isWord else { return nil }
        let first = tokens[index].folded
        guard let candidates = byFirstWord[first] ?? byFirstWord[Self.withoutPossessive(first)] else { return nil }
        for entry in candidates where index + entry.words.count <= tokens.count {
            var matches = true
            for offset in 0..<entry.words.count {
                let token = tokens[index + offset]
                guard token.isWord else { matches = false; break }
                if entry.form == .acronym {
                    if token.text != entry.words[offset] { matches = false; break }
                    continue
                }
                // `India's Ministry`: the last word of a name may carry a possessive.
                let folded = token.folded == entry.foldedWords[offset] || (offset == entry.words.count - 1
                    && Self.withoutPossessive(token.folded) == entry.foldedWords[offset])
                if !folded || (entry.capitalized[offset] && !token.isCapitalized) { matches = false; break }
            }
            if matches { return entry }
        }
        return nil
    }

    static func withoutPossessive(_ text: String) -> String {
        for suffix in ["'s", "\u{2019}s"] where text.hasSuffix(suffix) && text.count > 2 {
            return String(text.dropLast(2))
        }
        return text
    }

}
