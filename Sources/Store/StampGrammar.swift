/// An update stamp as the grammar read it, before it is placed on a day.
struct Stamp: Equatable {
    /// The local clock, 24-hour.
    var hour: Int
    var minute: Int
    /// nil: the page's own zone (a bare time, or `local time`).
    var zone: Zone?
    /// The stamp's own date, when it has one.
    var date: StampDate?
    /// The headline on the stamp's line; nil when it is on the next line.
    var headline: String?
    /// A zone-like word the grammar does not know; the time is read in the page's zone.
    var unknownZone: String?
}

/// A stamp's own date: `January 7, 2020`, `8 January`.
struct StampDate: Equatable {
    var year: Int?
    var month: Int
    var day: Int
}

enum StampReading: Equatable {
    /// Not a stamp: prose.
    case none
    /// The shape of a stamp whose clock or date cannot be; the text as written.
    case invalid(String)
    /// A clock with a zone or a meridiem followed by what is no headline (`14:30 GMT the army
    /// said`): kept as a paragraph, with a warning; the stamp as written.
    case unplaced(String)
    case stamp(Stamp)
}

/// Reads update stamps with the grammar of `stamps.json`: the shapes are data, and so are the
/// words of every piece (meridiems, zones, months, age units); this file only knows how to
/// match one piece at a time over the UTF-8 bytes of a line.
struct StampGrammar: Sendable {
    struct Table: Decodable {
        let shapes: [String]
        let meridiems: [String: [String]]
        let age_units: [String]
        let age_words: [String]
        let links: [String]
        let dashes: [String]
        let marks: [String]
        let glued_lead_ins: [String]
        let headline_maximum_bytes: Int
        let sentence_ends: [String]
        let unknown_zone_letters: [String: Int]
    }

    enum Piece: String, Sendable { case clock, meridiem, zone, date, age, link, open = "(", close = ")" }

    struct Element: Sendable {
        let piece: Piece
        let optional: Bool
    }

    static let shared = StampGrammar(table: Knowledge.load(Table.self, from: "stamps"), zones: ZoneWords.shared)

    let shapes: [[Element]]
    /// Spellings, longest first, with `true` for p.m.
    let meridiems: [([UInt8], Bool)]
    let ageUnits: Set<String>
    let ageWords: Set<String>
    /// What may stand between a date and its clock (`,`, `at`), lowercase, longest first.
    let links: [[UInt8]]
    let dashes: [[UInt8]]
    let marks: Set<UInt8>
    let gluedLeadIns: [[UInt8]]
    let headlineMaximumBytes: Int
    let sentenceEnds: Set<UInt8>
    let unknownZoneLetters: ClosedRange<Int>
    let zones: ZoneWords
    /// Whether every shape that may start with a letter is headed by a zone or a date.
    let wordsHeadEveryLetterShape: Bool
    /// Byte -> whether some glued lead-in ends with it (lowercase).
    let gluedLeadInLastBytes: [Bool]
    /// Byte -> whether some meridiem's spelling starts with it (lowercase).
    let meridiemFirstBytes: [Bool]

    init(table: Table, zones: ZoneWords) {
        shapes = table.shapes.map { shape in
            shape.split(separator: " ").map { word in
                let optional = word.hasSuffix("?")
                let name = optional ? String(word.dropLast()) : String(word)
                guard let piece = Piece(rawValue: name) else { fatalError("liveblog: stamps.json names an unknown piece '\(name)'") }
                return Element(piece: piece, optional: optional)
            }
        }
        meridiems = table.meridiems.flatMap { key, spellings in spellings.map { (Array($0.lowercased().utf8), key == "pm") } }
            .sorted { $0.0.count > $1.0.count }
        ageUnits = Set(table.age_units)
        ageWords = Set(table.age_words)
        links = table.links.map { Array($0.lowercased().utf8) }.sorted { $0.count > $1.count }
        dashes = table.dashes.map { Array($0.utf8) }.sorted { $0.count > $1.count }
        marks = Set(table.marks.compactMap { $0.utf8.count == 1 ? $0.utf8.first : nil })
        gluedLeadIns = table.glued_lead_ins.map { Array($0.lowercased().utf8) }
        headlineMaximumBytes = table.headline_maximum_bytes
        sentenceEnds = Set(table.sentence_ends.compactMap { $0.utf8.count == 1 ? $0.utf8.first : nil })
        unknownZoneLetters = (table.unknown_zone_letters["minimum"] ?? 2)...(table.unknown_zone_letters["maximum"] ?? 5)
        self.zones = zones
        let meridiemFirsts = Set(meridiems.compactMap(\.0.first))
        meridiemFirstBytes = (0..<256).map { meridiemFirsts.contains(UInt8($0)) }
        let lastBytes = Set(gluedLeadIns.compactMap(\.last))
        gluedLeadInLastBytes = (0..<256).map { lastBytes.contains(UInt8($0)) }
        wordsHeadEveryLetterShape = shapes.allSatisfy { shape in
            guard let head = shape.first?.piece else { return true }
            return head == .clock || head == .age || head == .zone || head == .date
        }
    }

    // MARK: - Reading a line

    /// The stamp a paragraph starts with, or one glued to its end after a lead-in
    /// (`…published at 06:57 GMT 8 January 2020`).
    func read(_ paragraph: String) -> StampReading {
        var paragraph = paragraph
        return paragraph.withUTF8 { p in
            // Every stamp has a clock, and every clock a digit: prose without one is read at once.
            guard let first = p.first else { return .none }
            let digits = Self.digitSurroundings(p, gluedLeadIns, lastBytes: gluedLeadInLastBytes)
            guard digits.any else { return .none }
            let leading = Bytes.isDigit(first) || first == UInt8(ascii: "(") || Bytes.isUpper(first) && mayLeadAStamp(p)
            let glued = digits.wordBeforeADigit && digits.leadInsBeforeADigit != 0
            guard leading || glued else { return .none }
            let b = Array(p)
            if leading {
                let reading = readLeading(b)
                if reading != .none { return reading }
            }
            return glued ? readGlued(b, leadIns: digits.leadInsBeforeADigit) : .none
        }
    }

    /// What stands before the digits of a line, found in one pass: whether it has a digit;
    /// whether a letter, a space and a digit follow each other somewhere (`… at 06:57`), as
    /// every glued stamp has them; and which glued lead-ins (bits by position) stand before a
    /// digit with only spaces between, the only ones whose last place `readGlued` can use.
    private static func digitSurroundings(_ b: UnsafeBufferPointer<UInt8>, _ leadIns: [[UInt8]], lastBytes: [Bool])
        -> (any: Bool, wordBeforeADigit: Bool, leadInsBeforeADigit: UInt64) {
        var any = false, wordBeforeADigit = false
        var leadInsBeforeADigit: UInt64 = 0
        var i = Bytes.nextDigit(b, from: 0)
        while i < b.count {
            guard Bytes.isDigit(b[i]) else {
                i = Bytes.nextDigit(b, from: i)
                continue
            }
            any = true
            if i >= 2, b[i - 1] == 0x20, Bytes.isASCIILetter(b[i - 2]) { wordBeforeADigit = true }
            // A lead-in ends anywhere from the start of the spaces before the digit to the digit.
            var end = i
            while end > 0, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
            for e in end...i where e > 0 && lastBytes[Int(Bytes.lowercased(b[e - 1]))] {
                for k in 0..<min(leadIns.count, 64) where e >= leadIns[k].count && Bytes.hasPrefix(b, e - leadIns[k].count, leadIns[k]) {
                    leadInsBeforeADigit |= 1 << UInt64(k)
                }
            }
            i += 1
        }
        // Past 64 lead-ins the bits cannot tell: every one is searched.
        if leadIns.count > 64, any { leadInsBeforeADigit = .max }
        return (any, wordBeforeADigit, leadInsBeforeADigit)
    }

    /// Whether a line starting with a capital may start with a stamp: only shapes headed by a
    /// zone or a date can (the others start with a digit), and those start with a word of
    /// theirs. Every shape is tried when some other piece heads one.
    private func mayLeadAStamp(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard wordsHeadEveryLetterShape else { return true }
        guard let end = Bytes.wordEnd(b, 0) else { return false }
        let word = UnsafeBufferPointer(rebasing: b[0..<end])
        return zones.mayStartAZone(word) || EnglishCalendar.words.value(ofLowering: word) != nil
    }

    private func readLeading(_ b: [UInt8]) -> StampReading {
        let startsWithDigit = Bytes.isDigit(b[0])
        var unplaced: StampReading?
        for (index, shape) in shapes.enumerated() {
            guard let head = shape.first?.piece else { continue }
            // A date may start with its day or its month; the other pieces with a digit or not.
            let digitFirst = head == .clock || head == .age
            guard head == .date || digitFirst == startsWithDigit else { continue }
            switch match(index, 0, b, 0, Match(), glued: false) {
            case .unplaced(let text)?: unplaced = unplaced ?? .unplaced(text)
            case let reading?: return reading
            case nil: continue
            }
        }
        return unplaced ?? .none
    }

    private func readGlued(_ b: [UInt8], leadIns: UInt64) -> StampReading {
        for (k, leadIn) in gluedLeadIns.enumerated() where k >= 64 || leadIns >> UInt64(k) & 1 == 1 {
            guard let at = Bytes.lastIndex(of: leadIn, in: b) else { continue }
            let start = Bytes.skipSpaces(b, at + leadIn.count)
            guard start < b.count, Bytes.isDigit(b[start]) else { continue }
            for (index, shape) in shapes.enumerated() where shape.first?.piece == .clock {
                guard case .stamp(var stamp)? = match(index, 0, b, start, Match(), glued: true) else { continue }
                let before = Bytes.trimmed(b, 0, at)
                stamp.headline = before.isEmpty ? nil : String(decoding: before, as: UTF8.self)
                return .stamp(stamp)
            }
        }
        return .none
    }

    // MARK: - Shapes

    /// What the pieces matched so far hold.
    private struct Match {
        var position = 0
        /// The clock's numbers, and where it is written.
        var clock: (hour: Int, minute: Int, form: ClockForm, text: Range<Int>)?
        var pm: Bool?
        /// Where the meridiem is written, when there is one.
        var meridiemText: Range<Int>?
        var zone: ZoneWords.Reading?
        var date: StampDate?
    }

    private enum ClockForm { case separated, fourDigits, hourOnly }

    /// Matches the shape's elements in order, trying each optional one first present, then
    /// absent; the whole line decides (`22:00 Local elections` is a bare time and a headline).
    /// The shape and the element within it are positions, so that no slice of a shape is
    /// made (and counted) at each step.
    private func match(_ shape: Int, _ element: Int, _ b: [UInt8], _ at: Int, _ state: Match, glued: Bool) -> StampReading? {
        guard element < shapes[shape].count else { return accept(state, b, at, glued: glued) }
        let piece = shapes[shape][element]
        var present: StampReading?
        if let next = matchPiece(piece.piece, b, at, state) {
            present = match(shape, element + 1, b, next.position, next, glued: glued)
            if let present, case .unplaced = present {} else if let present { return present }
        }
        guard piece.optional, let absent = match(shape, element + 1, b, at, state, glued: glued) else { return present }
        if case .unplaced = absent, present != nil { return present }
        return absent
    }

    private func matchPiece(_ piece: Piece, _ b: [UInt8], _ at: Int, _ state: Match) -> Match? {
        var state = state
        switch piece {
        case .clock:
            guard let (end, clock) = Self.clock(b, Bytes.skipSpaces(b, at)) else { return nil }
            state.clock = clock
            state.position = end
        case .meridiem:
            let start = Bytes.skipSpaces(b, at)
            // Every spelling starts with a letter of its own: most clocks are followed by none.
            guard start < b.count, meridiemFirstBytes[Int(Bytes.lowercased(b[start]))],
                  let (spelling, pm) = meridiems.first(where: { Bytes.hasPrefix(b, start, $0.0, caseInsensitive: true) }) else { return nil }
            let end = start + spelling.count
            guard !Bytes.continuesWord(b, end) else { return nil }
            state.pm = pm
            state.meridiemText = start..<end
            state.position = end
        case .zone:
            guard let (end, zone, _) = zones.read(b, at) else { return nil }
            state.zone = zone
            state.position = end
        case .date:
            guard let (end, date) = Self.date(b, at) else { return nil }
            state.date = date
            state.position = end
        case .age:
            guard let end = age(b, at) else { return nil }
            state.position = end
        case .link:
            let start = Bytes.skipSpaces(b, at)
            guard let link = links.first(where: { Bytes.hasPrefix(b, start, $0, caseInsensitive: true) }),
                  !(Bytes.isASCIILetter(link[link.count - 1]) && Bytes.continuesWord(b, start + link.count)) else { return nil }
            state.position = start + link.count
        case .open, .close:
            let start = Bytes.skipSpaces(b, at)
            guard start < b.count, b[start] == UInt8(ascii: piece == .open ? "(" : ")") else { return nil }
            state.position = start + 1
        }
        return state
    }

    /// A full match: the clock must be possible, then the headline is read after it.
    private func accept(_ state: Match, _ b: [UInt8], _ at: Int, glued: Bool) -> StampReading? {
        guard let clock = state.clock else { return nil }
        let hasZone = state.zone != nil
        if clock.form == .fourDigits && !hasZone { return nil }
        if clock.form == .hourOnly && state.pm == nil { return nil }
        // The stamp as written, for the warnings; made only when one is given.
        var written: String {
            let text = String(decoding: b[clock.text], as: UTF8.self)
            return state.meridiemText.map { "\(text) \(String(decoding: b[$0], as: UTF8.self))" } ?? text
        }
        var hour = clock.hour
        if let pm = state.pm {
            guard (1...12).contains(hour) else { return hasZone ? .invalid(written) : nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard hour < 24, clock.minute < 60 else { return hasZone ? .invalid(written) : nil }
        if let date = state.date {
            let length = CivilDate.daysIn(month: date.month, year: date.year ?? 2000)
            guard (1...length).contains(date.day) else { return .invalid("\(written), day \(date.day) of month \(date.month)") }
        }
        var stamp = Stamp(hour: hour, minute: clock.minute, zone: nil, date: state.date, headline: nil, unknownZone: nil)
        if case .zone(let zone)? = state.zone { stamp.zone = zone }
        if glued { return Bytes.skipSpaces(b, at) == b.count ? .stamp(stamp) : nil }
        guard let headline = headline(b, at, stamp: &stamp, hasZone: hasZone || state.pm != nil) else {
            if case .zone? = state.zone { return .unplaced(String(decoding: Bytes.trimmed(b, 0, at), as: UTF8.self)) }
            return state.pm != nil ? .unplaced(String(decoding: Bytes.trimmed(b, 0, at), as: UTF8.self)) : nil
        }
        stamp.headline = headline.isEmpty ? nil : headline
        return .stamp(stamp)
    }

    /// The headline after a stamp: after a separator, or after a space when it starts with a
    /// capital or a quotation mark; "" when the line ends with the stamp; nil when what
    /// follows is prose (`12:30 was the deadline`).
    private func headline(_ b: [UInt8], _ at: Int, stamp: inout Stamp, hasZone: Bool) -> String? {
        var i = Bytes.skipSpaces(b, at)
        if i == b.count { return "" }
        if let afterSeparator = separator(b, i) {
            return String(decoding: b[Bytes.skipSpaces(b, afterSeparator)...], as: UTF8.self)
        }
        guard i > at || at == 0 else { return nil }
        // `14:30 XYZ – …`: a word in the place of a zone that the grammar does not know.
        if !hasZone {
            var end = i
            while end < b.count, Bytes.isUpper(b[end]) { end += 1 }
            if unknownZoneLetters.contains(end - i), !Bytes.continuesWord(b, end),
               let afterSeparator = separator(b, Bytes.skipSpaces(b, end)) {
                stamp.unknownZone = String(decoding: b[i..<end], as: UTF8.self)
                i = Bytes.skipSpaces(b, afterSeparator)
                return String(decoding: b[i...], as: UTF8.self)
            }
        }
        guard Bytes.startsTitle(b, i) else { return nil }
        // A zone is never the first word of a headline: `14:30 GMT the army said` is no title.
        if let (_, reading, _) = zones.read(b, i), case .zone = reading { return nil }
        return String(decoding: b[i...], as: UTF8.self)
    }

    /// A run of dashes (spaces between them allowed) or one mark; the index after it.
    private func separator(_ b: [UInt8], _ at: Int) -> Int? {
        guard at < b.count else { return nil }
        if marks.contains(b[at]) { return at + 1 }
        var i = at
        var found = false
        while true {
            let j = Bytes.skipSpaces(b, i)
            guard let dash = dashes.first(where: { Bytes.hasPrefix(b, j, $0, caseInsensitive: false) }) else { break }
            i = j + dash.count
            found = true
        }
        return found ? i : nil
    }

    /// `45 mins ago`, `2h ago`.
    private func age(_ b: [UInt8], _ at: Int) -> Int? {
        var i = Bytes.skipSpaces(b, at)
        let digits = i
        while i < b.count, Bytes.isDigit(b[i]) { i += 1 }
        guard (1...3).contains(i - digits) else { return nil }
        guard let (unitEnd, unit) = Bytes.word(b, Bytes.skipSpaces(b, i)), ageUnits.contains(unit.lowercased()),
              let (end, word) = Bytes.word(b, Bytes.skipSpaces(b, unitEnd)), ageWords.contains(word.lowercased())
        else { return nil }
        return end
    }

    /// `9:05`, `13.57`, `1935`, `10` (the last only before a meridiem, checked on acceptance).
    private static func clock(_ b: [UInt8], _ at: Int) -> (Int, (hour: Int, minute: Int, form: ClockForm, text: Range<Int>))? {
        var i = at
        while i < b.count, Bytes.isDigit(b[i]), i - at < 5 { i += 1 }
        let count = i - at
        let followedByDigit = i < b.count && Bytes.isDigit(b[i])
        guard count >= 1, !followedByDigit else { return nil }
        let text = { (end: Int) in at..<end }
        if count <= 2, i + 2 < b.count, b[i] == UInt8(ascii: ":") || b[i] == UInt8(ascii: "."),
           let minute = Bytes.number(b, i + 1, 2), !(i + 3 < b.count && Bytes.isDigit(b[i + 3])) {
            // `1:03:20` is a duration, not a clock.
            if i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), i + 4 < b.count, Bytes.isDigit(b[i + 4]) { return nil }
            return (i + 3, (Bytes.number(b, at, count)!, minute, .separated, text(i + 3)))
        }
        if count == 4 { return (i, (Bytes.number(b, at, 2)!, Bytes.number(b, at + 2, 2)!, .fourDigits, text(i))) }
        if count <= 2 { return (i, (Bytes.number(b, at, count)!, 0, .hourOnly, text(i))) }
        return nil
    }

    /// `, Tuesday, January 7, 2020`, `8 January 2020`, `7th Jan`.
    static func date(_ b: [UInt8], _ at: Int) -> (Int, StampDate)? {
        var i = Bytes.skipSpaces(b, at)
        if i < b.count, b[i] == UInt8(ascii: ",") { i = Bytes.skipSpaces(b, i + 1) }
        // A word here is a weekday or a month, or there is no date.
        if let end = Bytes.wordEnd(b, i), !Bytes.isWord(b, i, end, of: EnglishCalendar.words) { return nil }
        if let (end, word) = Bytes.word(b, i), EnglishCalendar.isWeekday(Substring(word)) {
            i = Bytes.skipSpaces(b, end)
            if i < b.count, b[i] == UInt8(ascii: ",") { i = Bytes.skipSpaces(b, i + 1) }
        }
        let month: Int
        let day: Int
        if let (dayEnd, number) = dayNumber(b, i), let (end, word) = Bytes.word(b, Bytes.skipSpaces(b, dayEnd)),
           let m = EnglishCalendar.month(Substring(word)) {
            (day, month, i) = (number, m, Bytes.skipPeriod(b, end))
        } else if let (end, word) = Bytes.word(b, i), let m = EnglishCalendar.month(Substring(word)),
                  let (dayEnd, number) = dayNumber(b, Bytes.skipSpaces(b, Bytes.skipPeriod(b, end))) {
            (day, month, i) = (number, m, dayEnd)
        } else {
            return nil
        }
        if Bytes.continuesWord(b, i) || i < b.count && Bytes.isDigit(b[i]) { return nil }
        var year: Int?
        var j = Bytes.skipSpaces(b, i)
        if j < b.count, b[j] == UInt8(ascii: ",") { j = Bytes.skipSpaces(b, j + 1) }
        if let y = Bytes.number(b, j, 4), !(j + 4 < b.count && Bytes.isDigit(b[j + 4])), !Bytes.continuesWord(b, j + 4) {
            year = y
            i = j + 4
        }
        return (i, StampDate(year: year, month: month, day: day))
    }

    /// `7`, `07`, `7th`: the index after it and the number.
    private static func dayNumber(_ b: [UInt8], _ at: Int) -> (Int, Int)? {
        var i = at
        while i < b.count, Bytes.isDigit(b[i]), i - at < 3 { i += 1 }
        guard (1...2).contains(i - at), let day = Bytes.number(b, at, i - at) else { return nil }
        if let (end, suffix) = Bytes.word(b, i), EnglishCalendar.ordinalSuffixes.contains(suffix.lowercased()) { i = end }
        guard !Bytes.continuesWord(b, i), !(i < b.count && Bytes.isDigit(b[i])) else { return nil }
        return (i, day)
    }

    // MARK: - Headlines on the next line and zone declarations

    /// Whether a paragraph after a stamp that stands alone is its title: short, and not
    /// ending like a sentence (closing quotation marks and brackets aside).
    func isHeadline(_ paragraph: String) -> Bool {
        guard paragraph.utf8.count <= headlineMaximumBytes else { return false }
        guard let last = paragraph.unicodeScalars.reversed().first(where: { !Self.closing.contains($0) && $0 != " " }) else {
            return false
        }
        return !(last.isASCII && sentenceEnds.contains(UInt8(last.value)))
    }

    private static let spaceTime = Array(" time".utf8)

    private static let closing: Set<Unicode.Scalar> = ["\"", "'", ")", "]", "\u{201D}", "\u{2019}", "\u{00BB}"]

    /// The zone a paragraph declares for the times below it: `All times UTC+4`,
    /// `(Yangon Time)`.
    func declaredZone(in paragraph: String) -> Zone? {
        var paragraph = paragraph
        return paragraph.withUTF8 { p -> Zone? in
            // A lead-in starts a word. One pass finds every lead-in standing at a word start
            // before a space or a colon (few); they are then tried as the lead-ins come, each
            // at its places in order, and the first that a zone follows wins.
            var found: [(leadIn: Int, at: Int)] = []
            var hasParenthesis = false
            let leadIns = zones.declarationLeadIns
            zones.declarationLeadInFirstBytes.withUnsafeBufferPointer { firsts in
                for at in 0..<p.count {
                    if p[at] == UInt8(ascii: "(") { hasParenthesis = true }
                    let c = Bytes.lowercased(p[at])
                    guard firsts[Int(c)], at == 0 || !Bytes.isLetter(p[at - 1]) else { continue }
                    for k in leadIns.indices where leadIns[k].first == c && Bytes.hasPrefix(p, at, leadIns[k]) {
                        let after = at + leadIns[k].count
                        if after < p.count, p[after] == UInt8(ascii: " ") || p[after] == UInt8(ascii: ":") { found.append((k, at)) }
                    }
                }
            }
            guard !found.isEmpty || hasParenthesis else { return nil }
            return declaredZone(Array(p), leadInsAt: found.sorted { ($0.leadIn, $0.at) < ($1.leadIn, $1.at) })
        }
    }

    private func declaredZone(_ b: [UInt8], leadInsAt found: [(leadIn: Int, at: Int)]) -> Zone? {
        for (leadIn, at) in found {
            let after = at + zones.declarationLeadIns[leadIn].count
            let start = b[after] == UInt8(ascii: ":") ? after + 1 : after
            if let (_, reading, _) = zones.read(b, start), case .zone(let zone) = reading { return zone }
        }
        var from = 0
        while let open = b[from...].firstIndex(of: UInt8(ascii: "(")) {
            from = open + 1
            // Only a zone named as a time (`(Yangon Time)`): `(GMT)` beside a clock is that clock's.
            if let (_, reading, words) = zones.read(b, open), case .zone(let zone) = reading, words.count >= 5,
               Bytes.hasPrefix(b, words.upperBound - 5, Self.spaceTime) { return zone }
        }
        return nil
    }
}
