import Foundation

/// The opaque `cursor` of a paged list: the sort key of the last item already sent.
///
/// Keyset paging rather than an offset, so that a page boundary stays right when the store
/// is reloaded between two pages (nothing skipped or repeated unless it changed).
/// Encoded as base64url of a versioned, tab-separated key.
enum Cursor: Equatable {
    /// Updates are ordered by time (newest first), then article id, then update id.
    case update(time: Int64, article: String, id: String)
    /// Actors are ordered by mentions (most first), then name, then id.
    case actor(mentions: Int, name: String, id: String)
    /// Articles are ordered by their newest update (newest first; none: `Int64.min`), then id.
    case article(lastUpdate: Int64, id: String)

    var encoded: String {
        let fields: [String]
        switch self {
        case .update(let time, let article, let id): fields = ["u1", String(time), article, id]
        case .actor(let mentions, let name, let id): fields = ["a1", String(mentions), name, id]
        case .article(let lastUpdate, let id): fields = ["r1", String(lastUpdate), "", id]
        }
        return Data(fields.joined(separator: "\t").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, let number = Int64(fields[1]) else { return nil }
        switch fields[0] {
        case "u1": self = .update(time: number, article: fields[2], id: fields[3])
        case "a1": self = .actor(mentions: Int(number), name: fields[2], id: fields[3])
        case "r1": self = .article(lastUpdate: number, id: fields[3])
        default: return nil
        }
    }
}
