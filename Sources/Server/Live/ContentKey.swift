/// What a normalization cache entry is for: one article id with one exact file content.
///
/// The SHA-256 of the id, a 0 byte and the file's bytes, so that a file renamed to another
/// id (whose updates carry their id) never finds the entry of its old name, and any change of
/// content, however small, finds none.
public struct ContentKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the SHA-256, held inline: the live corpus keeps one per file.
    private let words: (UInt64, UInt64, UInt64, UInt64)

    public var digest: [UInt8] {
        withUnsafeBytes(of: words) { Array($0) }
    }

    /// A key kept as its digest (a store snapshot's label).
    public init?(digest: [UInt8]) {
        guard digest.count == SHA256.byteCount else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: digest) }
        self.words = words
    }

    public static func == (a: ContentKey, b: ContentKey) -> Bool { a.words == b.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2); hasher.combine(words.3)
    }

    /// The key of the file `id` (its name without extension) holding `content`.
    public static func of(id: String, content: [UInt8]) -> ContentKey {
        let hasher = SHA256()
        hasher.update(id)
        hasher.update([0])
        hasher.update(content)
        return ContentKey(digest: hasher.finish())!
    }

    /// The digest in lowercase hex: the entry's file name.
    public var description: String { SHA256.hex(digest) }
}
