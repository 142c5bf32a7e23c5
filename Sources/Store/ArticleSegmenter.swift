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
        let lines = Lines.split(text)
        guard let headerIndex = lines.firstIndex(where: { $0.contains { !$0.isWhitespace } }) else {
            throw .emptyFile
        }
        let header = try parseHeader(lines[headerIndex])
        var page = PageReading(header: header)
        for index in (headerIndex + 1)..<lines.count {
            let paragraph = TextRepair.repair(lines[index])
            guard !paragraph.isEmpty, !isBoilerplate(paragraph) else { continue }
            page.read(paragraph, line: index + 1)
        }
        var result = page.result
        if result.sections.isEmpty {
            if let warning = result.warnings.first { throw .invalidUpdates(warning) }
            throw .noUpdates
        }
        if let prefix = page.sectionsBeforeFirstDayHeader, prefix > 0, prefix < result.sections.count {
            redateUpward(&result.sections, prefix: prefix)
        }
        return result
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
        guard let year = field(1), let month = field(2), (1...12).contains(month) else {
            throw .invalidDateHeader(line.trimmingCharacters(in: .whitespaces))
        }
        let day = field(3)
        if let day, !(1...CivilDate.daysIn(month: month, year: year)).contains(day) {
            throw .invalidDateHeader(line.trimmingCharacters(in: .whitespaces))
        }
        return HeaderDate(year: year, month: month, day: day)
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
        guard bytes.count <= maximumBoilerplateBytes else { return false }
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

    // MARK: - Day headers

    /// Longer than this, a paragraph is never a day header.
    static let maximumDayHeaderBytes = 60

    /// `Friday, February 28`, `Friday 28 February`, `February 28`, with an optional year.
    /// Without a year, the year among the header's, the one before and the one after that
    /// puts the day nearest the header's date.
    static func dayHeader(_ paragraph: String, near reference: CivilDate) -> CivilDate? {
        guard paragraph.utf8.count <= maximumDayHeaderBytes, paragraph.utf8.contains(where: Bytes.isDigit),
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
