/// An article's updates as the store keeps them between requests: one byte string, each
/// update a run of length-prefixed UTF-8 fields, and beside it only what the indexes and the
/// order read on every query (ids and times). A page decodes the few updates it shows.
///
/// Holding `Update` values instead costs a heap object per string and an array per list:
/// about twice the text's size, for a corpus that is mostly text.
struct PackedUpdates: Sendable {
    /// Per update, in the part's order: its time, and its id as UTF-8 in one buffer (a
    /// string each would be a small heap object per update, for the life of the store).
    /// The buffer starts with what every id of the part begins with (`article/`, as a
    /// rule), once, and then holds each id's rest: `idStarts[0]` is the shared prefix's length.
    let times: [Int64]
    private let idBytes: [UInt8]
    private let idStarts: [UInt32]
    private let bytes: [UInt8]
    /// Where each update's run starts in `bytes`, and the end.
    private let starts: [UInt32]

    var count: Int { times.count }

    init(_ updates: [Update]) {
        var written: [UInt8] = []
        var starts: [UInt32] = [0]
        for update in updates {
            Self.append(update, to: &written)
            starts.append(UInt32(written.count))
        }
        var prefix = updates.first.map { Array($0.id.utf8) } ?? []
        for update in updates.dropFirst() {
            let shared = zip(prefix, update.id.utf8).prefix { $0 == $1 }.count
            prefix.removeSubrange(shared...)
        }
        var idBytes = prefix
        var idStarts: [UInt32] = [UInt32(prefix.count)]
        for update in updates {
            idBytes.append(contentsOf: update.id.utf8.dropFirst(prefix.count))
            idStarts.append(UInt32(idBytes.count))
        }
        self.idBytes = idBytes.exactCopy()
        self.idStarts = idStarts.exactCopy()
        times = updates.map(\.time.secondsSinceEpoch)
        bytes = written.exactCopy()
        self.starts = starts.exactCopy()
    }

    func id(at local: Int) -> String {
        idBytes.withUnsafeBufferPointer { all in
            let (prefix, rest) = idRuns(all, local)
            return String(unsafeUninitializedCapacity: prefix.count + rest.count) { out in
                _ = UnsafeMutableBufferPointer(rebasing: out[..<prefix.count]).initialize(fromContentsOf: prefix)
                _ = UnsafeMutableBufferPointer(rebasing: out[prefix.count...]).initialize(fromContentsOf: rest)
                return prefix.count + rest.count
            }
        }
    }

    /// Update `local`'s id as its two runs of `idBytes`: the shared prefix, and its own rest.
    private func idRuns(_ all: UnsafeBufferPointer<UInt8>, _ local: Int) -> (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
        (UnsafeBufferPointer(rebasing: all[..<Int(idStarts[0])]),
         UnsafeBufferPointer(rebasing: all[Int(idStarts[local])..<Int(idStarts[local + 1])]))
    }

    var ids: [String] { (0..<count).map(id(at:)) }

    /// Whether update `a`'s id sorts before `other`'s update `b`'s, as `String`'s `<` has it:
    /// by bytes when both are ASCII (where the two orders agree), else as strings.
    func id(_ a: Int, precedes b: Int, of other: PackedUpdates) -> Bool {
        let done: Bool? = idBytes.withUnsafeBufferPointer { left -> Bool? in
            other.idBytes.withUnsafeBufferPointer { right -> Bool? in
                let (xPrefix, xRest) = idRuns(left, a)
                let (yPrefix, yRest) = other.idRuns(right, b)
                guard [xPrefix, xRest, yPrefix, yRest].allSatisfy({ $0.allSatisfy { $0 < 0x80 } }) else { return nil }
                let (xCount, yCount) = (xPrefix.count + xRest.count, yPrefix.count + yRest.count)
                for i in 0..<Swift.min(xCount, yCount) {
                    let x = i < xPrefix.count ? xPrefix[i] : xRest[i - xPrefix.count]
                    let y = i < yPrefix.count ? yPrefix[i] : yRest[i - yPrefix.count]
                    if x != y { return x < y }
                }
                return xCount < yCount
            }
        }
        return done ?? (id(at: a) < other.id(at: b))
    }

    /// The update at `local`, decoded; `article` is the part's id, which every update shares.
    func update(at local: Int, article: String) -> Update {
        bytes.withUnsafeBytes { raw in
            let run = UnsafeRawBufferPointer(rebasing: raw[Int(starts[local])..<Int(starts[local + 1])])
            var reader = EntryReader(bytes: run)
            do throws(StoreError) {
                return try Self.read(&reader, id: id(at: local), time: times[local], article: article)
            } catch {
                // The bytes were written by `append` in this process: failing to read them
                // back is a bug here, not bad input.
                fatalError("packed update \(id(at: local)) does not read back: \(error)")
            }
        }
    }

    /// The distinct actor ids update `local` names and quotes, read without decoding its text.
    func actorKeys(at local: Int) -> (named: [String], quoted: [String]) {
        bytes.withUnsafeBytes { raw in
            var reader = EntryReader(bytes: UnsafeRawBufferPointer(rebasing: raw[Int(starts[local])..<Int(starts[local + 1])]))
            do throws(StoreError) {
                try reader.skipString()
                for _ in 0..<(try reader.count()) { try reader.skipString() }
                let named = try reader.strings()
                var quoted: [String] = []
                for _ in 0..<(try reader.count()) {
                    quoted.append(try reader.string())
                    try reader.skipString()
                }
                return (IndexingHandOff.distinct(named), IndexingHandOff.distinct(quoted))
            } catch {
                fatalError("packed update \(id(at: local)) does not read back: \(error)")
            }
        }
    }

    private static func append(_ update: Update, to out: inout [UInt8]) {
        func string(_ s: String) { EntryWriter.string(s, into: &out) }
        func strings(_ list: [String]) { EntryWriter.strings(list, into: &out) }
        string(update.headline)
        strings(update.body)
        strings(update.actors)
        EntryWriter.varint(UInt64(update.quotes.count), into: &out)
        for quote in update.quotes { string(quote.actor); string(quote.text) }
        EntryWriter.varint(UInt64(update.embeds.count), into: &out)
        for embed in update.embeds {
            switch embed {
            case .tweet(let tweet):
                out.append(ArticleCodec.EmbedTag.tweet.rawValue)
                string(tweet.kind); string(tweet.author); string(tweet.handle); string(tweet.date); string(tweet.text)
                strings(tweet.links)
            case .video(let video):
                out.append(ArticleCodec.EmbedTag.video.rawValue)
                string(video.kind); string(video.title)
                EntryWriter.varint(UInt64(bitPattern: Int64(video.duration)), into: &out)
            }
        }
    }

    private static func read(_ reader: inout EntryReader, id: String, time: Int64, article: String) throws(StoreError) -> Update {
        let headline = try reader.string()
        let body = try reader.strings()
        let actors = try reader.strings()
        var quotes: [Quote] = []
        for _ in 0..<(try reader.count()) { quotes.append(Quote(actor: try reader.string(), text: try reader.string())) }
        var embeds: [Embed] = []
        for _ in 0..<(try reader.count()) {
            switch ArticleCodec.EmbedTag(rawValue: try reader.byte()) {
            case .tweet:
                let kind = try reader.string()
                var tweet = Tweet(author: try reader.string(), handle: try reader.string(), date: try reader.string(),
                                  text: try reader.string(), links: try reader.strings())
                tweet.kind = kind
                embeds.append(.tweet(tweet))
            case .video:
                let kind = try reader.string(), title = try reader.string()
                var video = Video(title: title, duration: Int(truncatingIfNeeded: Int64(bitPattern: try reader.varint())))
                video.kind = kind
                embeds.append(.video(video))
            case nil:
                throw ArticleCodec.refusal("an embed of unknown kind")
            }
        }
        return Update(id: id, time: Instant(secondsSinceEpoch: time), article: article, headline: headline, body: body,
                      actors: actors, quotes: quotes, embeds: embeds)
    }
}

extension EntryReader {
    /// A length-prefixed UTF-8 string written in place.
    mutating func string() throws(StoreError) -> String {
        let length = try count()
        let run = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        skip(length)
        return String(decoding: run.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    mutating func skipString() throws(StoreError) {
        skip(try count())
    }

    mutating func strings() throws(StoreError) -> [String] {
        let n = try count()
        var list: [String] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try string()) }
        return list
    }
}

extension Array where Element: BitwiseCopyable {
    /// The same elements in a buffer of exactly their size: an array grown by appending keeps
    /// up to twice the room it needs, for as long as it lives.
    func exactCopy() -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = buffer.initialize(fromContentsOf: self)
            initialized = count
        }
    }
}

extension PackedUpdates {
    func write(to writer: inout SnapshotWriter) {
        writer.array(times)
        writer.array(idBytes)
        writer.array(idStarts)
        writer.array(bytes)
        writer.array(starts)
    }

    init(reading reader: inout SnapshotReader) throws(StoreError) {
        times = try reader.array(of: Int64.self)
        idBytes = try reader.array(of: UInt8.self)
        idStarts = try reader.array(of: UInt32.self)
        bytes = try reader.array(of: UInt8.self)
        starts = try reader.array(of: UInt32.self)
        for (offsets, end) in [(idStarts, idBytes.count), (starts, bytes.count)] {
            guard offsets.count == times.count + 1, Int(offsets.first!) <= end, Int(offsets.last!) == end,
                  zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw StoreSnapshot.refusal("packed updates whose offsets do not fit their bytes")
            }
        }
    }
}
