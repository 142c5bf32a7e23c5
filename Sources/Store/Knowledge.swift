import Foundation

/// The data files of `Resources/data`, read once per process.
///
/// What the extractor knows of the world (countries, organizations, titles, speech verbs,
/// entities, boilerplate) is data, so that it can be corrected and regenerated without
/// touching code.
enum Knowledge {
    /// Decodes `Resources/data/<name>.json`. A missing or malformed data file is a build
    /// defect, not an input problem, so it stops the process with the file's name.
    static func load<T: Decodable>(_ type: T.Type, from name: String) -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "data") else {
            fatalError("liveblog: data file \(name).json is missing from the Store resources")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
        } catch {
            fatalError("liveblog: data file \(name).json is malformed: \(error)")
        }
    }

    struct EntityTable: Decodable {
        let entities: [String: String]
        let windows1252: [String: String]
    }

    static let entityTable: EntityTable = load(EntityTable.self, from: "html-entities")
    /// HTML named entities, by name.
    static let htmlEntities: [String: String] = entityTable.entities
    /// Numeric references 128–159, which HTML reads as windows-1252, by number.
    static let windows1252: [UInt32: String] = Dictionary(uniqueKeysWithValues:
        entityTable.windows1252.compactMap { key, value in UInt32(key).map { ($0, value) } })
}

extension Knowledge {
    struct BoilerplateTable: Decodable {
        let phrases: [String]
        let prefixes: [String]
    }

    static let boilerplate: BoilerplateTable = load(BoilerplateTable.self, from: "boilerplate")
}

extension Knowledge {
    struct TitleTable: Decodable {
        let honorifics: [String]
        let words: [String]
        let person_nouns: [String]
        let name_suffixes: [String]
    }

    struct SpeechTable: Decodable {
        let verbs: [String]
        let documents: [String]
    }

    struct PlaceTable: Decodable {
        let place_suffixes: [String]
        let location_prepositions: [String]
        let direction_words: [String]
        let city_words: [String]
        let place_nouns: [String]
        let state_location_prepositions: [String]
        let acting_verbs: [String]
        let auxiliaries: [String]
        let government_words: [String]
    }

    /// The words around names that the person finder reads (`titles.json`).
    struct PersonWordTable: Decodable {
        let stopwords: [String]
        let particles: [String]
        let arabic_articles: [String]
    }

    /// The words around quotes that the quote finder reads (`speech.json`).
    struct QuoteWordTable: Decodable {
        let clause_words: [String]
        let pronouns: [String]
        let indefinites: [String]
    }

    static let titles: TitleTable = load(TitleTable.self, from: "titles")
    static let personWords: PersonWordTable = load(PersonWordTable.self, from: "titles")
    static let quoteWords: QuoteWordTable = load(QuoteWordTable.self, from: "speech")
    /// Folded title words (`president`, `spokeswoman`).
    static let titleWords: Set<String> = Set(titles.words.map(TextFolding.fold))
    static let personNouns: Set<String> = Set(titles.person_nouns.map(TextFolding.fold))
    /// Generational suffixes that end a name (`Jr`, `II`), as written.
    static let nameSuffixes: Set<String> = Set(titles.name_suffixes)
    static let honorifics: Set<String> = Set(titles.honorifics.map { TextFolding.fold($0).replacingOccurrences(of: ".", with: "") })
    static let speech: SpeechTable = load(SpeechTable.self, from: "speech")
    static let speechVerbs: Set<String> = Set(speech.verbs.map(TextFolding.fold))
    /// `the statement said`: the words of whoever issued the document.
    static let speechDocuments: Set<String> = Set(speech.documents.map(TextFolding.fold))
    static let places: PlaceTable = load(PlaceTable.self, from: "places")
    static let placeSuffixes: Set<String> = Set(places.place_suffixes.map(TextFolding.fold))
    static let locationPrepositions: Set<String> = Set(places.location_prepositions.map(TextFolding.fold))
    static let directionWords: Set<String> = Set(places.direction_words.map(TextFolding.fold))
    static let cityWords: Set<String> = Set(places.city_words.map(TextFolding.fold))
}

extension Knowledge {
    struct Subdivision: Decodable {
        let id: String
        let name: String
        let country: String
    }

    struct SubdivisionTable: Decodable {
        let subdivisions: [Subdivision]
    }

    /// Sub-national governments (`subnational.json`, from ISO 3166-2).
    static let subdivisions: [Subdivision] = load(SubdivisionTable.self, from: "subnational").subdivisions
}

extension Knowledge {
    struct InstitutionTable: Decodable {
        let organization_words: [String]
        let group_words: [String]
        let state_institution_words: [String]
        let state_keywords: [String]
        let organization_nouns: [String]
        let de_facto_markers: [String]
    }

    static let institutions: InstitutionTable = load(InstitutionTable.self, from: "institutions")
    static let organizationWords: Set<String> = Set(institutions.organization_words)
    static let groupWords: Set<String> = Set(institutions.group_words)
    static let stateKeywords: Set<String> = Set(institutions.state_keywords)
    static let stateInstitutionWords: Set<String> = Set(institutions.state_institution_words)
    static let organizationNouns: Set<String> = Set(institutions.organization_nouns)
}

extension Knowledge {
    struct PersonWindows: Decodable {
        let possessive_owner_reach: Int
        let description_before_comma: Int
        let description_title_reach: Int
        let aside_length: Int
        let name_in_title_reach: Int
        let apposition_length: Int
        let apposition_title_reach: Int
        let longest_acronym: Int
        let most_words_for_surname_match: Int
        let most_words_for_possessive_owner: Int
    }

    struct QuoteWindows: Decodable {
        let minimum_words: Int
        let verb_to_speaker: Int
        let according_to_speaker: Int
        let attribution_reach: Int
        let titled_person_reach: Int
        let speaker_before_verb: Int
        let clause_opening: Int
    }

    struct WindowTable: Decodable {
        let person: PersonWindows
        let quote: QuoteWindows
    }

    /// How far the person and quote finders look, in tokens (`windows.json`).
    static let windows: WindowTable = load(WindowTable.self, from: "windows")
}
