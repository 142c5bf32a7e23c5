/// The opaque `cursor` of a paged list: the sort key of the last item already sent.
///
/// Keyset paging rather than an offset, so that a page boundary stays right when the store
/// is reloaded between two pages (nothing skipped or repeated unless it changed).
///
/// Written `<list tag>.<number>.<text>.<text>`, each text as unpadded base64url of its
/// UTF-8 bytes. Every string of that shape is a key, and every key has a place in its list's
/// order (whether or not an item has it), so a well-formed cursor is never refused: only
/// the shape is checked (`pattern` in openapi.yaml says it).
enum Cursor: Equatable {
    /// Updates are ordered by time (newest first), then article id, then update id.
    case update(time: Int64, article: String, id: String)
    /// Actors are ordered by mentions (most first), then name, then id.
    case actor(mentions: Int, name: String, id: String)
    /// Articles are ordered by their newest update (newest first; none: `Int64.min`), then id.
    case article(lastUpdate: Int64, id: String)

    /// Digits of a number: Int64's widest. A larger number is read as the nearest Int64, so
    /// that every cursor of the right shape is still a place in the order.
    static let maximumDigits = 19

    var encoded: String {
        let fields: [String]
        switch self {
        case .update(let time, let article, let id): fields = ["u1", String(time), Self.base64URL(article), Self.base64URL(id)]
        case .actor(let mentions, let name, let id): fields = ["a1", String(mentions), Self.base64URL(name), Self.base64URL(id)]
        case .article(let lastUpdate, let id): fields = ["r1", String(lastUpdate), Self.base64URL(id)]
        }
        return fields.joined(separator: ".")
    }

    init?(encoded: String) {
        let fields = encoded.split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count >= 3, let number = Self.number(fields[1]) else { return nil }
        let texts = fields.dropFirst(2).map(Self.text(base64URL:))
        guard !texts.contains(nil) else { return nil }
        switch (fields[0], texts.count) {
        case ("u1", 2): self = .update(time: number, article: texts[0]!, id: texts[1]!)
        case ("a1", 2): self = .actor(mentions: Int(number), name: texts[0]!, id: texts[1]!)
        case ("r1", 1): self = .article(lastUpdate: number, id: texts[0]!)
        default: return nil
        }
    }

    private static func number(_ text: Substring) -> Int64? {
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : text
        guard (1...maximumDigits).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text) ?? (negative ? Int64.min : Int64.max)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let sextets: [UInt8: UInt32] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt32($0)) })

    static func base64URL(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { out.append(alphabet[Int((value >> (18 - 6 * position)) & 63)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of a base64url field; nil when a character is outside the alphabet. Bits
    /// short of a whole byte at the end are dropped, and bytes that are not UTF-8 become
    /// U+FFFD: the result is still a key with a place in the order.
    static func text(base64URL field: Substring) -> String? {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in field.utf8 {
            guard let sextet = sextets[byte] else { return nil }
            buffer = buffer << 6 | sextet
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
