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
    }

    /// HTML named entities, by name.
    static let htmlEntities: [String: String] = load(EntityTable.self, from: "html-entities").entities
}

extension Knowledge {
    struct BoilerplateTable: Decodable {
        let phrases: [String]
        let prefixes: [String]
    }

    static let boilerplate: BoilerplateTable = load(BoilerplateTable.self, from: "boilerplate")

    struct ZoneTable: Decodable {
        let zones: [String: Int]
    }

    /// Minutes east of UTC, by zone word (`GMT`, `CET`, `EST`).
    static let zoneOffsets: [String: Int] = load(ZoneTable.self, from: "zones").zones
}
