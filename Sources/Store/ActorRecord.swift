/// What an actor is: the four kinds of the contract.
public enum ActorKind: String, Codable, Sendable, CaseIterable, Comparable {
    case person, organization, country, group

    public static func < (lhs: ActorKind, rhs: ActorKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An actor as one article knows it: the unit the extractor produces and the store merges
/// across articles by `id`.
public struct ActorRecord: Codable, Sendable, Equatable {
    /// A stable slug: `jens-stoltenberg`, `nato`, `turkey`.
    public var id: String
    /// The canonical name: a person's full name, a state's short name.
    public var name: String
    public var kind: ActorKind
    /// The other names the text (or the gazetteer) uses for it: surname, demonym, capital,
    /// acronym, handle.
    public var aliases: [String]
    /// Titles and functions given to a person in the text (`NATO Secretary General`).
    public var roles: [String]
    /// The id of the organization or state a person speaks for, when the text says it.
    public var affiliation: String?
    /// How many times the article names it.
    public var mentions: Int

    public init(id: String, name: String, kind: ActorKind, aliases: [String] = [], roles: [String] = [],
                affiliation: String? = nil, mentions: Int = 0) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.roles = roles
        self.affiliation = affiliation
        self.mentions = mentions
    }
}
