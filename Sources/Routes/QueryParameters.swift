import Foundation
import Store

/// The query of a list endpoint, validated: every value is checked once here, so the
/// handlers work with typed values and every refusal names its parameter.
struct QueryParameters {
    static let defaultLimit = 50
    static let maximumLimit = 500

    enum Order: String { case desc, asc }

    var limit = QueryParameters.defaultLimit
    var cursor: Cursor?
    var order = Order.desc
    var filter = UpdateFilter()
    /// `/actors`: the kind wanted.
    var kind: ActorKind?
    /// `/actors`: a folded name or alias prefix.
    var namePrefix: String?
    /// `/stream`: the event id to resume after, for a browser's first connection.
    var lastEventID: String?
    /// `q` held no word (only signs): no item can match.
    var matchesNothing = false
    /// The characters JSON Schema's (ECMA-262's) `\s` matches: `q` must hold another.
    static let patternWhitespace: Set<Unicode.Scalar> = Set("\t\n\u{0B}\u{0C}\r \u{A0}\u{1680}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}".unicodeScalars)
        .union((0x2000...0x200A).compactMap(Unicode.Scalar.init))
    /// The items as received, minus `cursor`, to build the `next` link from.
    var echoed: [(name: String, value: String)] = []

    static let updateParameters = ["limit", "cursor", "order", "since", "until", "actor", "article", "q"]
    static let actorParameters = ["limit", "cursor", "kind", "q"]
    static let streamParameters = ["since", "until", "actor", "article", "q", "last_event_id"]
    static let articleParameters = ["limit", "cursor", "since", "until", "q"]
    /// Parameters that may be given more than once.
    static let repeatable: Set<String> = ["actor"]

    init(items: [(name: String, value: String)], allowed: [String]) throws(RoutesError) {
        var seen: Set<String> = []
        for (name, value) in items {
            guard allowed.contains(name) else { throw .unknownParameter(name: name, known: allowed) }
            guard seen.insert(name).inserted || Self.repeatable.contains(name) else {
                throw .invalidParameter(name: name, reason: "given more than once")
            }
            if name != "cursor" { echoed.append((name, value)) }
            try apply(name: name, value: value, list: allowed)
        }
        // `until` before `since` is an empty span: nothing falls in it (the answer is an empty
        // page, as for any span without updates), which a form can produce and a client read.
    }

    private mutating func apply(name: String, value: String, list: [String]) throws(RoutesError) {
        switch name {
        case "limit":
            guard let n = Int(value), (1...Self.maximumLimit).contains(n) else {
                throw .invalidParameter(name: name, reason: "must be a whole number from 1 to \(Self.maximumLimit), got '\(value)'")
            }
            limit = n
        case "cursor":
            // An empty cursor is the first page, as a form with an empty field would send it.
            if value.isEmpty { return }
            guard let decoded = Cursor(encoded: value) else {
                throw .invalidParameter(name: name, reason: "is not a cursor this server issued; use the `next` link as given")
            }
            switch decoded {
            case .update where list == Self.updateParameters, .actor where list == Self.actorParameters,
                 .article where list == Self.articleParameters:
                cursor = decoded
            default:
                throw .invalidParameter(name: name, reason: "belongs to another list")
            }
        case "order":
            guard let parsed = Order(rawValue: value) else {
                throw .invalidParameter(name: name, reason: "must be 'desc' or 'asc', got '\(value)'")
            }
            order = parsed
        case "since", "until":
            guard case .interval(let first, let last)? = TimeSpan(value) else {
                throw .invalidParameter(name: name, reason: "must be an RFC 3339 time or a prefix of one (2020-02-28, 2020-02-28T11), got '\(value)'")
            }
            if name == "since" { filter.since = first } else { filter.until = last }
        case "actor":
            guard !value.isEmpty else { throw .invalidParameter(name: name, reason: "must be an actor id such as 'turkey'") }
            filter.actors.append(value)
        case "article":
            guard !value.isEmpty else { throw .invalidParameter(name: name, reason: "must be an article id") }
            filter.article = value
        case "q":
            // Refused only when it is all spaces (as openapi.yaml's pattern `\S` reads them),
            // so that what the spec allows the server takes, and the reverse.
            guard value.unicodeScalars.contains(where: { !Self.patternWhitespace.contains($0) }) else {
                throw .invalidParameter(name: name, reason: "must hold a word, not only spaces")
            }
            if list != Self.actorParameters {
                filter.words = TextFolding.words(in: value)
                // Signs without letters or digits (`€`, `—`) are in no headline as a word.
                matchesNothing = filter.words.isEmpty
            } else {
                namePrefix = TextFolding.fold(value).trimmingCharacters(in: .whitespaces)
            }
        case "last_event_id":
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .invalidParameter(name: name, reason: "must be an event id from this server's stream (digits), got '\(value)'")
            }
            lastEventID = value
        case "kind":
            guard let parsed = ActorKind(rawValue: value) else {
                let kinds = ActorKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidParameter(name: name, reason: "must be one of \(kinds), got '\(value)'")
            }
            kind = parsed
        default:
            throw .unknownParameter(name: name, known: list)
        }
    }

    /// The `next` link: the same path and parameters, with the new cursor.
    func nextLink(path: String, cursor: Cursor) -> String {
        let query = (echoed + [("cursor", cursor.encoded)])
            .map { "\(RequestTarget.encodeQueryValue($0.name))=\(RequestTarget.encodeQueryValue($0.value))" }
            .joined(separator: "&")
        return path + "?" + query
    }
}
