/// Why the extractor says what it says: one actor mention or quote of an update, the rule
/// that produced it and the words it read, so that a wrong answer leads to its rule in one
/// step (`liveblog normalize --explain`).
public struct Provenance: Sendable, Equatable {
    public enum Kind: String, Sendable { case actor, quote }

    /// The update's id.
    public var update: String
    public var kind: Kind
    /// The actor named, or the quote's speaker.
    public var actor: String
    /// The rule, in words: `gazetteer: country seat`, `person: title before the name`.
    public var rule: String
    /// The text as it stands: the mention's words, the tweet's signature, the quote's passage.
    public var surface: String

    /// One tab-separated line: update, kind, actor, rule, surface.
    public var line: String {
        [update, kind.rawValue, actor, rule, surface].joined(separator: "\t")
    }
}
