/// The words of `zones.json` that name a zone in a stamp or a page's declaration, with the
/// tz rules they resolve through.
struct ZoneWords: Sendable {
    struct Table: Decodable {
        let rules: [String: [ZoneRules.Rule]]
        let regions: [String: [ZoneRules.Era]]
        let words: [String: ZoneName]
        let local_words: [String]
        let place_words: [String: String]
        let declaration_lead_ins: [String]
        let outlet_markers: [String: String]
    }

    /// A fixed offset in minutes, or a region's name.
    enum ZoneName: Decodable, Sendable {
        case fixed(Int)
        case region(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let minutes = try? container.decode(Int.self) {
                self = .fixed(minutes)
            } else {
                self = .region(try container.decode(String.self))
            }
        }
    }

    /// What a zone piece read: a zone, or the page's own (`local time`).
    enum Reading: Equatable, Sendable {
        case zone(Zone)
        case local
    }

    static let shared = ZoneWords(table: Knowledge.load(Table.self, from: "zones"))

    let rules: ZoneRules
    /// Abbreviations in capitals, matched as written, and their zones by the table's values.
    private let exact: WordTable
    private let exactZones: [Zone]
    /// Other zone words, lowercase, matched in any case.
    private let folded: WordTable
    private let foldedZones: [Zone]
    /// Lowercase place names, a zone only before `time`.
    private let places: WordTable
    private let placeZones: [Zone]
    /// Lowercase first words of every multi-word entry, so one-word lines skip the longer tries.
    private let firstWords: WordTable
    /// Every one-word entry, lowercase (abbreviations too): a single word that is none of them
    /// reads as no zone, found without making a string of it.
    private let singleWords: WordTable
    private let longestEntry: Int
    /// Lowercase words for the page's own zone (`local time`).
    private let localWords: WordTable
    let declarationLeadIns: [[UInt8]]
    /// Byte -> whether some declaration lead-in starts with it (lowercase).
    let declarationLeadInFirstBytes: [Bool]
    /// Lowercase outlet markers and their zone.
    let outletMarkers: [([UInt8], Zone)]
    /// Byte -> the markers (by position) that start with it (lowercase).
    private let outletMarkersByFirstByte: [[Int]]
    /// Byte -> whether some marker starts with it (lowercase).
    private let outletMarkerFirstBytes: [Bool]

    init(table: Table) {
        rules = ZoneRules(rules: table.rules, regions: table.regions)
        func zone(_ name: ZoneName) -> Zone {
            switch name {
            case .fixed(let minutes): return .fixed(minutes)
            case .region(let region):
                guard table.regions[region] != nil else { fatalError("liveblog: zones.json names an unknown region '\(region)'") }
                return .region(region)
            }
        }
        var exact: [String: Zone] = [:], folded: [String: Zone] = [:], places: [String: Zone] = [:]
        var firstWords: Set<String> = []
        var longest = 1
        for (word, name) in table.words {
            if word.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "+" }) {
                exact[word] = zone(name)
            } else {
                folded[word.lowercased()] = zone(name)
            }
        }
        for (place, region) in table.place_words { places[place.lowercased()] = zone(.region(region)) }
        let localWords = Set(table.local_words.map { $0.lowercased() })
        for key in Array(exact.keys) + Array(folded.keys) + Array(places.keys) + Array(localWords) {
            let words = key.split(separator: " ")
            longest = max(longest, words.count + 1)
            if words.count > 1 { firstWords.insert(words[0].lowercased()) }
        }
        for key in places.keys { firstWords.insert(String(key.split(separator: " ")[0])) }
        func wordTable(_ zones: [String: Zone]) -> (WordTable, [Zone]) {
            let words = Array(zones.keys)
            return (WordTable(words), words.map { zones[$0]! })
        }
        (self.exact, exactZones) = wordTable(exact)
        (self.folded, foldedZones) = wordTable(folded)
        (self.places, placeZones) = wordTable(places)
        self.localWords = WordTable(Array(localWords))
        self.firstWords = WordTable(Array(firstWords))
        singleWords = WordTable(Array(Set((Array(exact.keys) + Array(folded.keys) + Array(localWords)).map { $0.lowercased() })))
        longestEntry = longest
        declarationLeadIns = table.declaration_lead_ins.map { Array($0.lowercased().utf8) }.sorted { $0.count > $1.count }
        let leadInFirstBytes = Set(declarationLeadIns.compactMap(\.first))
        declarationLeadInFirstBytes = (0..<256).map { leadInFirstBytes.contains(UInt8($0)) }
        outletMarkers = table.outlet_markers.map { (Array($0.key.lowercased().utf8), zone(.region($0.value))) }
            .sorted { $0.0.count > $1.0.count }
        let markers = outletMarkers
        outletMarkersByFirstByte = (0..<256).map { byte in markers.indices.filter { markers[$0].0.first == UInt8(byte) } }
        outletMarkerFirstBytes = outletMarkersByFirstByte.map { !$0.isEmpty }
    }

    /// A zone at `at` (after spaces): the longest zone word, or a place before `time`, then an
    /// optional `+3` / `-05:30` offset; the whole optionally in parentheses. Returns the index
    /// after it, what it read, and where the words stand (as written).
    func read(_ b: [UInt8], _ at: Int) -> (Int, Reading, Range<Int>)? {
        var i = Bytes.skipSpaces(b, at)
        let parenthesized = i < b.count && b[i] == UInt8(ascii: "(")
        if parenthesized { i = Bytes.skipSpaces(b, i + 1) }
        let start = i
        let found = b.withUnsafeBufferPointer { b in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: longestEntry) { ends in
                longestWords(b, from: start, ends: ends)
            }
        }
        guard var (end, reading) = found else { return nil }
        let words = i..<end
        if case .zone(.fixed(let minutes)) = reading, let (offsetEnd, offset) = Self.offset(b, end) {
            reading = .zone(.fixed(minutes + offset))
            end = offsetEnd
        }
        if parenthesized {
            let close = Bytes.skipSpaces(b, end)
            guard close < b.count, b[close] == UInt8(ascii: ")") else { return nil }
            end = close + 1
        }
        return (end, reading, words)
    }

    /// The longest run of up to `longestEntry` words at `i` (separated by single spaces) that
    /// is a zone word, or a place followed by `time`: where it ends and what it reads. The
    /// words are looked up on the bytes (ASCII letters, lowered for the folded tables).
    private func longestWords(_ b: UnsafeBufferPointer<UInt8>, from i: Int, ends: UnsafeMutableBufferPointer<Int>)
        -> (end: Int, reading: Reading)? {
        var count = 0
        var j = i
        while count < longestEntry, let end = Bytes.wordEnd(b, j) {
            ends[count] = end
            count += 1
            guard end + 1 < b.count, b[end] == 0x20, Bytes.isASCIILetter(b[end + 1]) else { break }
            if count == 1, firstWords.value(ofLowering: UnsafeBufferPointer(rebasing: b[j..<end])) == nil { break }
            j = end + 1
        }
        if count == 1, singleWords.value(ofLowering: UnsafeBufferPointer(rebasing: b[i..<ends[0]])) == nil { return nil }
        for n in stride(from: count, through: 1, by: -1) {
            let text = UnsafeBufferPointer(rebasing: b[i..<ends[n - 1]])
            if localWords.value(ofLowering: text) != nil { return (ends[n - 1], .local) }
            if let k = exact.value(of: text) { return (ends[n - 1], .zone(exactZones[k])) }
            if let k = folded.value(ofLowering: text) { return (ends[n - 1], .zone(foldedZones[k])) }
            if n < count, let k = places.value(ofLowering: text), ends[n] - ends[n - 1] - 1 == 4,
               Bytes.hasPrefix(b, ends[n - 1] + 1, Self.time) {
                return (ends[n], .zone(placeZones[k]))
            }
        }
        return nil
    }

    private static let time = Array("time".utf8)

    /// `+3`, `+ 2`, `-05:30`, `+0530`, `−4`: minutes east of UTC.
    private static func offset(_ b: [UInt8], _ at: Int) -> (Int, Int)? {
        var i = Bytes.skipSpaces(b, at)
        let sign: Int
        if i < b.count, b[i] == UInt8(ascii: "+") {
            sign = 1
            i += 1
        } else if i < b.count, b[i] == UInt8(ascii: "-") {
            sign = -1
            i += 1
        } else if Bytes.hasPrefix(b, i, Array("−".utf8), caseInsensitive: false) {
            sign = -1
            i += 3
        } else {
            return nil
        }
        i = Bytes.skipSpaces(b, i)
        let start = i
        while i < b.count, Bytes.isDigit(b[i]), i - start < 5 { i += 1 }
        let digits = i - start
        var hours: Int
        var minutes = 0
        switch digits {
        case 1, 2:
            hours = Bytes.number(b, start, digits)!
            if i + 2 < b.count + 1, i < b.count, b[i] == UInt8(ascii: ":"), let m = Bytes.number(b, i + 1, 2) {
                minutes = m
                i += 3
            }
        case 4:
            hours = Bytes.number(b, start, 2)!
            minutes = Bytes.number(b, start + 2, 2)!
        default:
            return nil
        }
        guard i == b.count || !Bytes.isDigit(b[i]), hours <= 14, minutes < 60 else { return nil }
        return (i, sign * (hours * 60 + minutes))
    }

    /// The zone of an outlet the text names (`theguardian.com`), for its bare times: the
    /// first marker (longest first) found anywhere, in one pass over the bytes.
    func outletZone(in paragraph: String) -> Zone? {
        var paragraph = paragraph
        let found = paragraph.withUTF8 { b -> Int? in
            outletMarkerFirstBytes.withUnsafeBufferPointer { starts in
            var best: Int?
            // Where some marker's first letter stands: the only places any marker can start.
            for at in b.indices where starts[Int(Bytes.lowercased(b[at]))] {
                let candidates = outletMarkersByFirstByte[Int(Bytes.lowercased(b[at]))]
                for k in candidates where k < (best ?? .max) && Bytes.hasPrefix(b, at, outletMarkers[k].0) {
                    best = k
                    break
                }
            }
            return best
            }
        }
        return found.map { outletMarkers[$0].1 }
    }

    /// Whether a word (ASCII letters) may start a zone as `read` reads one: it is a one-word
    /// entry or the first word of a longer one.
    func mayStartAZone(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        singleWords.value(ofLowering: word) != nil || firstWords.value(ofLowering: word) != nil
    }
}
