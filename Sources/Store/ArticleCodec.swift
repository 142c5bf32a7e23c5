/// The compact binary form of an `Article` that the normalization cache keeps: what a restart
/// loads instead of normalizing the file again.
///
/// JSON would do, but decoding it is the slow part of a warm start (see `scripts/bench-codec`),
/// so an entry is a flat byte string made to be read in one pass:
///
///     header   magic "LBAR" · format (UInt32) · payload length (UInt64) · checksum (UInt64)
///     payload  string table (count, then each string's length and UTF-8 bytes)
///              the article, every string a reference into the table
///              its folded words (`FoldedWords`) when kept: a 1, the overview's words,
///              the update count, each update's byte count, then their packed words as
///              `FoldedWords` holds them (copied, not parsed); else a 0
///
/// Numbers are LEB128 varints (signed ones zigzagged), fixed-width ones little-endian. The
/// table stores a string once however often the article repeats it (actor ids, the article
/// id in every update), so an entry is small and the decoded article shares those strings.
///
/// A truncated or damaged entry is refused: the length and the checksum are checked before
/// anything is read, and every read is bounds-checked as well, so even bytes that pass the
/// checksum give an error rather than a crash or a different article.
public enum ArticleCodec {
    /// Changes whenever the layout below changes, so that an old entry is refused by name.
    public static let formatVersion: UInt32 = 3
    static let magic: [UInt8] = Array("LBAR".utf8)
    static let headerSize = 24

    /// The entry for `article`, with its folded words when given.
    public static func encode(_ article: Article, words: FoldedWords? = nil) -> [UInt8] {
        var writer = EntryWriter()
        writer.article(article)
        writer.words(words)
        return writer.sealed()
    }

    /// The article an entry holds, or why the bytes are not a whole, intact entry.
    public static func decode(_ bytes: [UInt8]) throws(StoreError) -> Article {
        try decodeEntry(bytes).article
    }

    /// The article an entry holds and the folded words kept with it, if any.
    public static func decodeEntry(_ bytes: [UInt8]) throws(StoreError) -> (article: Article, words: FoldedWords?) {
        let outcome: Result<(article: Article, words: FoldedWords?), StoreError> = bytes.withUnsafeBytes { raw in
            do throws(StoreError) { return .success(try decodeEntry(raw)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    /// The same, read in place.
    public static func decodeEntry(_ bytes: UnsafeRawBufferPointer) throws(StoreError) -> (article: Article, words: FoldedWords?) {
        let payload = try verifiedPayload(bytes)
        var reader = EntryReader(bytes: payload)
        let strings = try reader.stringTable()
        var fields = FieldReader(reader: reader, strings: strings)
        let article = try fields.article()
        let words = try fields.words()
        if let words, words.updates.count != article.updates.count {
            throw refusal("words for \(words.updates.count) updates, the article has \(article.updates.count)")
        }
        guard fields.reader.isAtEnd else { throw refusal("\(fields.reader.remaining) bytes after the article") }
        return (article, words)
    }

    /// The payload of `bytes` once the header's magic, format, length and checksum agree.
    static func verifiedPayload(_ bytes: UnsafeRawBufferPointer) throws(StoreError) -> UnsafeRawBufferPointer {
        guard bytes.count >= headerSize else {
            throw refusal("\(bytes.count) bytes, shorter than the \(headerSize)-byte header")
        }
        guard bytes.prefix(magic.count).elementsEqual(magic) else { throw refusal("no LBAR magic at the start") }
        let format = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        guard format == formatVersion else {
            throw refusal("format \(format), expected \(formatVersion)")
        }
        let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard length == UInt64(bytes.count - headerSize) else {
            throw refusal("the header announces \(length) payload bytes, \(bytes.count - headerSize) are there (truncated?)")
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[headerSize...])
        let expected = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        guard checksum(payload) == expected else { throw refusal("checksum mismatch (damaged bytes)") }
        return payload
    }

    /// A 64-bit word hash of the payload (`WordChecksum`), at memory speed: a warm start
    /// reads every byte of every entry.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var checksum = WordChecksum()
        checksum.update(bytes)
        return checksum.finish()
    }

    static func refusal(_ why: String) -> StoreError { .invalidCacheEntry(why) }

    /// Embed kinds, as the first byte of an embed.
    enum EmbedTag: UInt8 { case tweet = 0, video = 1 }
}

/// Builds an entry: fields go to `body` as string references, strings to the table.
struct EntryWriter {
    private var body: [UInt8] = []
    private var strings: [String] = []
    private var index: [String: Int] = [:]

    init() { body.reserveCapacity(4096) }

    mutating func article(_ a: Article) {
        string(a.format); string(a.id); string(a.date)
        strings(a.lede)
        count(a.updates.count)
        for update in a.updates { self.update(update) }
        count(a.actors.count)
        for actor in a.actors { self.actor(actor) }
        strings(a.warnings)
    }

    private mutating func update(_ u: Update) {
        string(u.id); signed(u.time.secondsSinceEpoch); string(u.article); string(u.headline)
        strings(u.body); strings(u.actors)
        count(u.quotes.count)
        for quote in u.quotes { string(quote.actor); string(quote.text) }
        count(u.embeds.count)
        for embed in u.embeds {
            switch embed {
            case .tweet(let t):
                body.append(ArticleCodec.EmbedTag.tweet.rawValue)
                string(t.kind); string(t.author); string(t.handle); string(t.date); string(t.text); strings(t.links)
            case .video(let v):
                body.append(ArticleCodec.EmbedTag.video.rawValue)
                string(v.kind); string(v.title); signed(Int64(v.duration))
            }
        }
    }

    mutating func words(_ words: FoldedWords?) {
        guard let words else { return count(0) }
        count(1)
        strings(words.overview)
        let lengths = words.runLengths
        count(lengths.count)
        for length in lengths { count(length) }
        body.append(contentsOf: words.packed)
    }

    private mutating func actor(_ r: ActorRecord) {
        string(r.id); string(r.name); string(r.kind.rawValue); strings(r.aliases); strings(r.roles)
        if let affiliation = r.affiliation { count(reference(affiliation) + 1) } else { count(0) }
        signed(Int64(r.mentions))
    }

    private mutating func reference(_ s: String) -> Int {
        if let known = index[s] { return known }
        index[s] = strings.count
        strings.append(s)
        return strings.count - 1
    }

    private mutating func string(_ s: String) { count(reference(s)) }

    private mutating func strings(_ list: [String]) {
        count(list.count)
        for s in list { string(s) }
    }

    private mutating func count(_ n: Int) { Self.varint(UInt64(n), into: &body) }

    private mutating func signed(_ n: Int64) { Self.varint(UInt64(bitPattern: (n << 1) ^ (n >> 63)), into: &body) }

    /// A length-prefixed UTF-8 string, as `EntryReader.string()` reads it back.
    static func string(_ s: String, into out: inout [UInt8]) {
        var s = s
        // Through the contiguous bytes: one copy, not the view's element-by-element path.
        s.withUTF8 { bytes in
            varint(UInt64(bytes.count), into: &out)
            out.append(contentsOf: bytes)
        }
    }

    /// A count, then each string as `string(_:into:)` writes it.
    static func strings(_ list: [String], into out: inout [UInt8]) {
        varint(UInt64(list.count), into: &out)
        for s in list { string(s, into: &out) }
    }

    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Header, string table, body.
    func sealed() -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(body.count + strings.reduce(0) { $0 + $1.utf8.count + 2 } + 8)
        Self.varint(UInt64(strings.count), into: &payload)
        for s in strings {
            Self.varint(UInt64(s.utf8.count), into: &payload)
            payload.append(contentsOf: s.utf8)
        }
        payload.append(contentsOf: body)
        var entry = ArticleCodec.magic
        entry.reserveCapacity(ArticleCodec.headerSize + payload.count)
        Self.fixed(UInt64(ArticleCodec.formatVersion), bytes: 4, into: &entry)
        Self.fixed(UInt64(payload.count), bytes: 8, into: &entry)
        Self.fixed(payload.withUnsafeBytes(ArticleCodec.checksum), bytes: 8, into: &entry)
        entry.append(contentsOf: payload)
        return entry
    }

    private static func fixed(_ value: UInt64, bytes: Int, into out: inout [UInt8]) {
        for i in 0..<bytes { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
}

/// Reads varints and byte runs from a payload, refusing to read past its end.
struct EntryReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    /// Moves past `n` bytes that `count()` has shown are there.
    mutating func skip(_ n: Int) { offset += n }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(StoreError) -> UInt8 {
        guard offset < bytes.count else { throw ArticleCodec.refusal("ends in the middle of a field") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(StoreError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 63 || (shift == 63 && b <= 1) else { throw ArticleCodec.refusal("a number longer than 64 bits") }
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws(StoreError) -> Int64 {
        let z = try varint()
        return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
    }

    /// A count of items that take at least one byte each, so a damaged count cannot ask for
    /// more memory than the entry's size.
    mutating func count() throws(StoreError) -> Int {
        let n = try varint()
        guard n <= UInt64(remaining) else { throw ArticleCodec.refusal("a count of \(n) with \(remaining) bytes left") }
        return Int(n)
    }

    mutating func stringTable() throws(StoreError) -> [String] {
        let n = try count()
        var table: [String] = []
        table.reserveCapacity(n)
        for _ in 0..<n {
            let length = try count()
            let run = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
            table.append(String(decoding: run.bindMemory(to: UInt8.self), as: UTF8.self))
            offset += length
        }
        return table
    }
}

/// Reads the article's fields, resolving string references against the table.
private struct FieldReader {
    var reader: EntryReader
    let strings: [String]

    mutating func article() throws(StoreError) -> Article {
        let format = try string(), id = try string(), date = try string()
        let lede = try stringList()
        var updates: [Update] = []
        let updateCount = try reader.count()
        updates.reserveCapacity(updateCount)
        for _ in 0..<updateCount { updates.append(try update()) }
        var actors: [ActorRecord] = []
        let actorCount = try reader.count()
        actors.reserveCapacity(actorCount)
        for _ in 0..<actorCount { actors.append(try actor()) }
        var article = Article(id: id, date: date, lede: lede, updates: updates, actors: actors,
                              warnings: try stringList())
        article.format = format
        return article
    }

    mutating func words() throws(StoreError) -> FoldedWords? {
        switch try reader.varint() {
        case 0: return nil
        case 1:
            let overview = try stringList()
            var starts: [UInt32] = [0]
            var length = 0
            for _ in 0..<(try reader.count()) {
                length += try reader.count()
                guard length <= reader.remaining else {
                    throw ArticleCodec.refusal("words of \(length) bytes or more with \(reader.remaining) left")
                }
                starts.append(UInt32(length))
            }
            let packed = [UInt8](UnsafeRawBufferPointer(rebasing: reader.bytes[reader.offset..<(reader.offset + length)]))
            reader.skip(length)
            return FoldedWords(overview: overview, packed: packed, starts: starts)
        default: throw ArticleCodec.refusal("a words marker other than 0 or 1")
        }
    }

    private mutating func update() throws(StoreError) -> Update {
        let id = try string()
        let time = Instant(secondsSinceEpoch: try reader.signed())
        let article = try string(), headline = try string()
        let body = try stringList(), actors = try stringList()
        var quotes: [Quote] = []
        for _ in 0..<(try reader.count()) { quotes.append(Quote(actor: try string(), text: try string())) }
        var embeds: [Embed] = []
        for _ in 0..<(try reader.count()) { embeds.append(try embed()) }
        return Update(id: id, time: time, article: article, headline: headline, body: body,
                      actors: actors, quotes: quotes, embeds: embeds)
    }

    private mutating func embed() throws(StoreError) -> Embed {
        switch ArticleCodec.EmbedTag(rawValue: try reader.byte()) {
        case .tweet:
            let kind = try string()
            var tweet = Tweet(author: try string(), handle: try string(), date: try string(), text: try string(),
                              links: try stringList())
            tweet.kind = kind
            return .tweet(tweet)
        case .video:
            let kind = try string(), title = try string()
            var video = Video(title: title, duration: try int())
            video.kind = kind
            return .video(video)
        case nil:
            throw ArticleCodec.refusal("an embed of unknown kind")
        }
    }

    private mutating func actor() throws(StoreError) -> ActorRecord {
        let id = try string(), name = try string(), kindName = try string()
        guard let kind = ActorKind(rawValue: kindName) else { throw ArticleCodec.refusal("an actor of unknown kind") }
        let aliases = try stringList(), roles = try stringList()
        let affiliationReference = try reader.varint()
        var affiliation: String?
        if affiliationReference > 0 { affiliation = try string(at: affiliationReference - 1) }
        return ActorRecord(id: id, name: name, kind: kind, aliases: aliases, roles: roles,
                           affiliation: affiliation, mentions: try int())
    }

    private mutating func int() throws(StoreError) -> Int {
        let n = try reader.signed()
        guard let value = Int(exactly: n) else { throw ArticleCodec.refusal("a number out of range") }
        return value
    }

    private mutating func string() throws(StoreError) -> String { try string(at: try reader.varint()) }

    private func string(at reference: UInt64) throws(StoreError) -> String {
        guard reference < UInt64(strings.count) else {
            throw ArticleCodec.refusal("string \(reference) of a table of \(strings.count)")
        }
        return strings[Int(reference)]
    }

    private mutating func stringList() throws(StoreError) -> [String] {
        let n = try reader.count()
        var list: [String] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try string()) }
        return list
    }
}
