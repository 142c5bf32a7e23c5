import Foundation

/// Splits a scraped liveblog into its header date, lede and timed updates.
///
/// The text runs newest first. A stamp's own date sets its day; else a day header sets the
/// day of the updates below it; without one, the header's date does, and a time later than
/// the update above it means the reading has crossed back over midnight. Times are converted
/// to UTC with the zone of their stamp, else the zone the page declared above them.
struct ArticleSegmenter {
    /// An update as the text gives it, before embeds, actors and quotes.
    struct Section {
        var line: Int
        var time: Instant
        var headline: String
        var paragraphs: [String]
        /// Dated from the crawl's date (no day header, no date of its own): a day off at worst.
        var datedByCrawl: Bool
    }

    struct Result {
        var date: String
        var lede: [String]
        var sections: [Section]
        var warnings: [String]
    }

    /// What the header line says: a full date, or a month when the crawler wrote `YYYY-MM`.
    struct HeaderDate {
        var year: Int
        var month: Int
        var day: Int?

        var text: String {
            day.map { CivilDate(year: year, month: month, day: $0).iso8601 }
                ?? "\(year)-\(month < 10 ? "0" : "")\(month)"
        }

        /// The day a day header's year is judged against.
        var reference: CivilDate { CivilDate(year: year, month: month, day: day ?? 15) }
    }

    static func segment(_ text: String) throws(StoreError) -> Result {
        var text = text
        return try text.withUTF8 { bytes in segment(bytes) }.get()
    }

    /// The lines are read as byte ranges of the text: a line becomes a string once it is
    /// repaired, and only when it is not blank.
    private static func segment(_ bytes: UnsafeBufferPointer<UInt8>) -> Swift.Result<Result, StoreError> {
        let lines = Lines.ranges(bytes)
        func string(_ index: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[lines[index]]), as: UTF8.self) }
        guard let headerIndex = lines.indices.first(where: { !lines[$0].isEmpty && string($0).contains { !$0.isWhitespace } }) else {
            return .failure(.emptyFile)
        }
        let header: HeaderDate
        do { header = try parseHeader(string(headerIndex)) } catch { return .failure(error) }
        var page = PageReading(header: header)
        for index in (headerIndex + 1)..<lines.count where !lines[index].isEmpty {
            let paragraph = TextRepair.repair(UnsafeBufferPointer(rebasing: bytes[lines[index]]))
            guard !paragraph.isEmpty, !isBoilerplate(paragraph) else { continue }
            page.read(paragraph, line: index + 1)
        }
        var result = page.result
        if result.sections.isEmpty {
            if let warning = result.warnings.first { return .failure(.invalidUpdates(warning)) }
            return .failure(.noUpdates)
        }
        if let prefix = page.sectionsBeforeFirstDayHeader, prefix > 0, prefix < result.sections.count {
            redateUpward(&result.sections, prefix: prefix)
        }
        return .success(result)
    }

    /// Updates above the first day header were dated from the crawl's date, which can be a
    /// day off; the first day header is better evidence. Date them from its day upward: each
    /// is the first instant at its clock time that is not older than the update below it.
    /// Updates with their own date keep it, and so do the ones above them.
    private static func redateUpward(_ sections: inout [Section], prefix: Int) {
        var below = sections[prefix].time
        for index in stride(from: prefix - 1, through: 0, by: -1) {
            guard sections[index].datedByCrawl else { return }
            let behind = (sections[index].time.secondsSinceEpoch - below.secondsSinceEpoch).floorMod(86_400)
            sections[index].time = below.adding(seconds: behind)
            below = sections[index].time
        }
    }

    // MARK: - Header

    /// ` date 2020-02-28`, also `Date: 2020-02-28`, `date 2020-02`, or a full timestamp.
    private static let headerPattern = try! NSRegularExpression(pattern: #"^\s*date:?\s+(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?!\d)"#, options: [.caseInsensitive])

    /// `date 12 May 2021`, `date May 12, 2021`.
    private static let writtenHeaderPattern = try! NSRegularExpression(pattern:
        #"^\s*date:?\s+(?:(\d{1,2})\s+([A-Za-z]{3,9})\.?|([A-Za-z]{3,9})\.?\s+(\d{1,2})),?\s+(\d{4})(?!\d)"#, options: [.caseInsensitive])

    static func parseHeader(_ line: String) throws(StoreError) -> HeaderDate {
        let fields: (year: Int?, month: Int?, day: Int?)
        if let plain = plainNumericHeader(line) {
            fields = plain
        } else {
            let range = NSRange(line.startIndex..., in: line)
            if let written = writtenHeaderPattern.firstMatch(in: line, range: range) {
                let field = { (i: Int) -> String? in Range(written.range(at: i), in: line).map { String(line[$0]) } }
                guard let monthName = field(2) ?? field(3), let month = EnglishCalendar.month(Substring(monthName)),
                      let day = (field(1) ?? field(4)).flatMap(Int.init), let year = field(5).flatMap(Int.init),
                      (1...CivilDate.daysIn(month: month, year: year)).contains(day)
                else { throw .invalidDateHeader(line.trimmingCharacters(in: .whitespaces)) }
                return HeaderDate(year: year, month: month, day: day)
            }
            guard let match = headerPattern.firstMatch(in: line, range: range) else {
                throw .missingDateHeader(firstLine: line.trimmingCharacters(in: .whitespaces))
            }
            let field = { (i: Int) -> Int? in Range(match.range(at: i), in: line).flatMap { Int(line[$0]) } }
            fields = (field(1), field(2), field(3))
        }
        guard let year = fields.year, let month = fields.month, (1...12).contains(month) else {
            throw .invalidDateHeader(line.trimmingCharacters(in: .whitespaces))
        }
        let day = fields.day
        if let day, !(1...CivilDate.daysIn(month: month, year: year)).contains(day) {
            throw .invalidDateHeader(line.trimmingCharacters(in: .whitespaces))
        }
        return HeaderDate(year: year, month: month, day: day)
    }

    /// The fields `headerPattern` reads from a header of the usual shape, ` date 2020-02-28`
    /// in ASCII, read from the bytes; nil when anything is less plain (a character beyond
    /// ASCII where the patterns look, another shape, no match), which the patterns then decide.
    /// Four digits and a hyphen after `date` are never `writtenHeaderPattern`'s.
    private static func plainNumericHeader(_ line: String) -> (year: Int?, month: Int?, day: Int?)? {
        line.utf8.withContiguousStorageIfAvailable { b -> (year: Int?, month: Int?, day: Int?)? in
            func skipBlanks(_ i: inout Int) { while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 } }
            func digits(from i: Int) -> Int {
                var j = i
                while j < b.count, Bytes.isDigit(b[j]) { j += 1 }
                return j
            }
            func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(b[$1] - 0x30) } }
            /// A byte beyond ASCII where a pattern looks may be a space or a digit to it.
            func plain(_ i: Int) -> Bool { i >= b.count || b[i] < 0x80 }
            var i = 0
            skipBlanks(&i)
            guard i + 4 <= b.count, zip(b[i..<(i + 4)], "date".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
            i += 4
            if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
            let blanks = i
            skipBlanks(&i)
            let yearEnd = digits(from: i)
            guard i > blanks, plain(i), yearEnd == i + 4, yearEnd < b.count, b[yearEnd] == UInt8(ascii: "-") else { return nil }
            let monthStart = yearEnd + 1
            let monthEnd = digits(from: monthStart)
            guard (1...2).contains(monthEnd - monthStart), plain(monthEnd) else { return nil }
            var day: Int?
            if monthEnd < b.count, b[monthEnd] == UInt8(ascii: "-") {
                let dayEnd = digits(from: monthEnd + 1)
                guard plain(dayEnd) else { return nil }
                // Three digits or more: `(?!\d)` refuses every day, and the month stands alone.
                if (1...2).contains(dayEnd - monthEnd - 1) { day = number((monthEnd + 1)..<dayEnd) }
            }
            return (number(i..<yearEnd), number(monthStart..<monthEnd), day)
        } ?? nil
    }

    // MARK: - Boilerplate

    /// Longer than this, a paragraph is never a boilerplate phrase or lead-in.
    static let maximumBoilerplateBytes = 130

    private static let boilerplatePhrases = Set(Knowledge.boilerplate.phrases)
    /// Phrases long enough to lead in a line of their own (`Here are all the latest updates on …:`).
    private static let boilerplateLeadIns = Knowledge.boilerplate.phrases.filter { $0.count > 12 }.map { $0 + " " }
    private static let longestBoilerplatePhrase = Knowledge.boilerplate.phrases.map(\.utf8.count).max() ?? 0

    static func isBoilerplate(_ paragraph: String) -> Bool {
        let bytes = paragraph.utf8
        guard bytes.count <= maximumBoilerplateBytes, let first = bytes.first else { return false }
        // Every phrase, lead-in and prefix starts with a lowercase ASCII letter: a paragraph
        // starting with another ASCII character is none of them.
        if first < 0x80, !boilerplateFirstBytes[Int(Bytes.lowercased(first))] { return false }
        if let plain = bytes.withContiguousStorageIfAvailable(isPlainBoilerplate), let answer = plain { return answer }
        // Longer than every phrase, only a lead-in ending in a colon or a line ending in `here` can be.
        if bytes.count > longestBoilerplatePhrase + 4, bytes.last != UInt8(ascii: ":"),
           !bytes.reversed().drop(while: { $0 == 0x2E || $0 == 0x21 || $0 == 0x20 }).prefix(4).elementsEqual("ereh".utf8, by: { $0 | 0x20 == $1 }) {
            return false
        }
        var key = TextFolding.lowercased(paragraph)
        while let last = key.last, ":.!…".contains(last) || last == " " { key.removeLast() }
        if boilerplatePhrases.contains(key) { return true }
        // `Here are all the latest updates on the strike:`: a lead-in that ends in a colon.
        if paragraph.hasSuffix(":"), bytes.count < 100, boilerplateLeadIns.contains(where: { key.hasPrefix($0) }) { return true }
        return key.count < 120 && Knowledge.boilerplate.prefixes.contains { key.hasPrefix($0) } && key.hasSuffix("here")
    }

    /// Byte -> whether some phrase or prefix starts with it.
    private static let boilerplateFirstBytes: [Bool] = {
        let firsts = Set((Knowledge.boilerplate.phrases + Knowledge.boilerplate.prefixes).compactMap(\.utf8.first))
        return (0..<256).map { firsts.contains(UInt8($0)) }
    }()
    private static let boilerplatePhraseTable = WordTable(Array(boilerplatePhrases))
    private static let boilerplateLeadInBytes = boilerplateLeadIns.map { Array($0.utf8) }
    private static let boilerplatePrefixBytes = Knowledge.boilerplate.prefixes.map { Array($0.utf8) }

    /// `isBoilerplate` for an ASCII paragraph, on its bytes without making its lowercase
    /// string (ASCII lowercases byte by byte, and a character is a byte); nil for the rest.
    private static func isPlainBoilerplate(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var key = b.count
        for byte in b where byte >= 0x80 { return nil }
        if b.count > longestBoilerplatePhrase + 4, b.last != UInt8(ascii: ":") {
            var end = b.count
            while end > 0, b[end - 1] == 0x2E || b[end - 1] == 0x21 || b[end - 1] == 0x20 { end -= 1 }
            guard end >= 4, Bytes.hasPrefix(b, end - 4, Self.here) else { return false }
        }
        while key > 0, b[key - 1] == 0x3A || b[key - 1] == 0x2E || b[key - 1] == 0x21 || b[key - 1] == 0x20 { key -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: b[..<key])
        if boilerplatePhraseTable.value(ofLowering: trimmed) != nil { return true }
        if b.last == UInt8(ascii: ":"), b.count < 100, boilerplateLeadInBytes.contains(where: { Bytes.hasPrefix(trimmed, 0, $0) }) {
            return true
        }
        return key < 120 && boilerplatePrefixBytes.contains { Bytes.hasPrefix(trimmed, 0, $0) } && key >= 4
            && Bytes.hasPrefix(trimmed, key - 4, Self.here)
    }

    private static let here = Array("here".utf8)

    // MARK: - Day headers

    /// Longer than this, a paragraph is never a day header.
    static let maximumDayHeaderBytes = 60

    /// `Friday, February 28`, `Friday 28 February`, `February 28`, with an optional year.
    /// Without a year, the year among the header's, the one before and the one after that
    /// puts the day nearest the header's date.
    static func dayHeader(_ paragraph: String, near reference: CivilDate) -> CivilDate? {
        guard paragraph.utf8.count <= maximumDayHeaderBytes else { return nil }
        if let plain = paragraph.utf8.withContiguousStorageIfAvailable({ plainDayHeader($0, near: reference) }), let answer = plain {
            return answer
        }
        guard paragraph.utf8.contains(where: Bytes.isDigit),
              (2...4).contains(byteWordCount(paragraph)) else { return nil }
        var words = paragraph.split(whereSeparator: { $0 == " " || $0 == "," }).map { Substring($0) }
        guard (2...4).contains(words.count) else { return nil }
        if EnglishCalendar.isWeekday(words[0]) { words.removeFirst() }
        var year: Int?
        if words.count == 3, words[2].count == 4, let y = Int(words[2]) {
            year = y
            words.removeLast()
        }
        guard words.count == 2 else { return nil }
        let month: Int
        let day: Int
        if let m = EnglishCalendar.month(words[0]), let d = Int(ordinal(words[1])) {
            (month, day) = (m, d)
        } else if let d = Int(ordinal(words[0])), let m = EnglishCalendar.month(words[1]) {
            (month, day) = (m, d)
        } else {
            return nil
        }
        return nearestDay(month: month, day: day, year: year, to: reference)
    }

    /// `dayHeader` for an ASCII paragraph, read on its bytes (a character is a byte, and
    /// ASCII lowercases byte by byte); nil for the rest.
    private static func plainDayHeader(_ b: UnsafeBufferPointer<UInt8>, near reference: CivilDate) -> CivilDate?? {
        var hasDigit = false
        for byte in b {
            if byte >= 0x80 { return nil }
            if Bytes.isDigit(byte) { hasDigit = true }
        }
        guard hasDigit else { return .some(nil) }
        // Two to four words: kept on the stack, not in an array.
        return withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: 4) { slots -> CivilDate?? in
            var count = 0
            var start = 0
            for i in 0...b.count where i == b.count || b[i] == 0x20 || b[i] == 0x2C {
                if i > start {
                    guard count < 4 else { return .some(nil) }
                    slots[count] = UnsafeBufferPointer(rebasing: b[start..<i])
                    count += 1
                }
                start = i + 1
            }
            guard count >= 2 else { return .some(nil) }
            var first = 0
            if EnglishCalendar.weekday(ascii: slots[0]) != nil { first = 1 }
            var year: Int?
            if count - first == 3, slots[first + 2].count == 4, let y = integer(slots[first + 2]) {
                year = y
                count -= 1
            }
            guard count - first == 2 else { return .some(nil) }
            let (one, two) = (slots[first], slots[first + 1])
            let month: Int
            let day: Int
            if let m = EnglishCalendar.month(ascii: one), let d = integer(ordinal(two)) {
                (month, day) = (m, d)
            } else if let d = integer(ordinal(one)), let m = EnglishCalendar.month(ascii: two) {
                (month, day) = (m, d)
            } else {
                return .some(nil)
            }
            return .some(nearestDay(month: month, day: day, year: year, to: reference))
        }
    }

    /// What `Int(_:)` reads from ASCII bytes: an optional sign, then decimal digits only.
    private static func integer(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        var negative = false
        if let first = word.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            i = 1
        }
        guard i < word.count else { return nil }
        var n = 0
        while i < word.count {
            guard Bytes.isDigit(word[i]) else { return nil }
            let (times, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(Int(word[i] - 0x30)) : times.addingReportingOverflow(Int(word[i] - 0x30))
            guard !o1, !o2 else { return nil }
            n = sum
            i += 1
        }
        return n
    }

    private static let ordinalSuffixBytes = EnglishCalendar.ordinalSuffixes.map { Array($0.utf8) }

    private static func ordinal(_ word: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        for suffix in ordinalSuffixBytes where Bytes.hasPrefix(word, word.count - suffix.count, suffix) {
            return UnsafeBufferPointer(rebasing: word.dropLast(2))
        }
        return word
    }

    /// Words between spaces and commas, counted on the bytes: never fewer than the characters
    /// give, and only more where a space carries a combining mark, which no day header has.
    private static func byteWordCount(_ paragraph: String) -> Int {
        var count = 0
        var inWord = false
        for byte in paragraph.utf8 {
            let separator = byte == 0x20 || byte == 0x2C
            if !separator, !inWord { count += 1 }
            inWord = !separator
        }
        return count
    }

    /// The day of a month and day (and year, when written); without a year, the one among the
    /// reference's, the one before and the one after that puts the day nearest the reference.
    static func nearestDay(month: Int, day: Int, year: Int?, to reference: CivilDate) -> CivilDate? {
        let candidates = year.map { [$0] } ?? [reference.year - 1, reference.year, reference.year + 1]
        let valid = candidates.filter { (1...CivilDate.daysIn(month: month, year: $0)).contains(day) }
            .map { CivilDate(year: $0, month: month, day: day) }
        return valid.min { abs($0.daysSinceEpoch - reference.daysSinceEpoch) < abs($1.daysSinceEpoch - reference.daysSinceEpoch) }
    }

    private static func ordinal(_ word: Substring) -> Substring {
        for suffix in EnglishCalendar.ordinalSuffixes where word.lowercased().hasSuffix(suffix) {
            return word.dropLast(2)
        }
        return word
    }
}
