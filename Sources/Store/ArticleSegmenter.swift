import Foundation

/// Splits a scraped liveblog into its header date, lede and timed updates.
///
/// The text runs newest first. A day header sets the day of the updates below it; without
/// one, the header's date does, and a time later than the update above it means the reading
/// has crossed back over midnight. Times are converted to UTC with the zone of their line.
struct ArticleSegmenter {
    /// An update as the text gives it, before embeds, actors and quotes.
    struct Section {
        var line: Int
        var time: Instant
        var headline: String
        var paragraphs: [String]
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
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0].removeFirst() }
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw .emptyFile
        }
        let header = try parseHeader(lines[headerIndex])
        var result = Result(date: header.text, lede: [], sections: [], warnings: [])

        var currentDay: CivilDate? = header.day.map { _ in header.reference }
        /// Whether the current day comes from a day header (trusted) or from the crawl's date.
        var dayFromHeader = false
        /// How many sections came before the first day header, dated from the crawl's date.
        var sectionsBeforeFirstDayHeader: Int?
        /// The instant of the update above, while no day header came between: newest first
        /// holds in UTC, so a later instant means the reading crossed back over midnight.
        var previousInstant: Instant?
        var inSection = false
        var skipping = false

        for index in (headerIndex + 1)..<lines.count {
            let lineNumber = index + 1
            let paragraph = TextRepair.repair(lines[index])
            guard !paragraph.isEmpty, !isBoilerplate(paragraph) else { continue }

            if let day = dayHeader(paragraph, near: header.reference) {
                if !dayFromHeader { sectionsBeforeFirstDayHeader = result.sections.count }
                currentDay = day
                dayFromHeader = true
                previousInstant = nil
                inSection = false
                skipping = false
                continue
            }
            switch updateLine(paragraph) {
            case .none:
                if skipping { continue }
                if inSection {
                    result.sections[result.sections.count - 1].paragraphs.append(paragraph)
                } else if result.sections.isEmpty {
                    result.lede.append(paragraph)
                } else {
                    result.warnings.append("line \(lineNumber): a paragraph under a day header but before any update was skipped")
                }
            case .invalid(let what):
                result.warnings.append("line \(lineNumber): impossible time '\(what)' in an update line; the update and its paragraphs were skipped")
                skipping = true
                inSection = false
            case .valid(let hour, let minute, let offsetMinutes, let headline, let note):
                guard var day = currentDay else {
                    result.warnings.append("line \(lineNumber): the header gives no day and no day header came before this update; it was skipped")
                    skipping = true
                    inSection = false
                    continue
                }
                func instant(on day: CivilDate) -> Instant? {
                    Instant(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute)?
                        .adding(seconds: Int64(-offsetMinutes * 60))
                }
                guard var time = instant(on: day) else {
                    skipping = true
                    continue
                }
                if let previous = previousInstant, time > previous {
                    if dayFromHeader {
                        // A day header says which day it is: keep it, and say the order is off.
                        result.warnings.append("line \(lineNumber): \(time.rfc3339) is later than the update above it under the same day header")
                    } else {
                        // No day header: a later time means the reading crossed midnight.
                        day = CivilDate(daysSinceEpoch: day.daysSinceEpoch - 1)
                        currentDay = day
                        time = instant(on: day) ?? time
                    }
                }
                previousInstant = time
                if let note { result.warnings.append("line \(lineNumber): \(note)") }
                result.sections.append(Section(line: lineNumber, time: time, headline: headline, paragraphs: []))
                inSection = true
                skipping = false
            }
        }
        if result.sections.isEmpty {
            if let warning = result.warnings.first { throw .invalidUpdates(warning) }
            throw .noUpdates
        }
        if let prefix = sectionsBeforeFirstDayHeader, prefix > 0, prefix < result.sections.count {
            redateUpward(&result.sections, prefix: prefix)
        }
        return result
    }

    /// Updates above the first day header were dated from the crawl's date, which can be a
    /// day off; the first day header is better evidence. Date them from its day upward: each
    /// is the first instant at its clock time that is not older than the update below it.
    private static func redateUpward(_ sections: inout [Section], prefix: Int) {
        var below = sections[prefix].time
        for index in stride(from: prefix - 1, through: 0, by: -1) {
            var time = sections[index].time
            while time < below { time = time.adding(seconds: 86_400) }
            while time.adding(seconds: -86_400) >= below { time = time.adding(seconds: -86_400) }
            sections[index].time = time
            below = time
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

    static func isBoilerplate(_ paragraph: String) -> Bool {
        var key = paragraph.lowercased()
        while let last = key.last, ":.!…".contains(last) || last == " " { key.removeLast() }
        if Knowledge.boilerplate.phrases.contains(key) { return true }
        // `Here are all the latest updates on the strike:`: a lead-in that ends in a colon.
        if paragraph.hasSuffix(":"), paragraph.utf8.count < 100,
           Knowledge.boilerplate.phrases.contains(where: { $0.count > 12 && key.hasPrefix($0 + " ") }) { return true }
        return key.count < 120 && Knowledge.boilerplate.prefixes.contains { key.hasPrefix($0) } && key.hasSuffix("here")
    }

    // MARK: - Day headers

    /// `Friday, February 28`, `Friday 28 February`, `February 28`, with an optional year.
    /// Without a year, the year among the header's, the one before and the one after that
    /// puts the day nearest the header's date.
    static func dayHeader(_ paragraph: String, near reference: CivilDate) -> CivilDate? {
        guard paragraph.utf8.count <= 60 else { return nil }
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
        let candidates = year.map { [$0] } ?? [reference.year - 1, reference.year, reference.year + 1]
        let valid = candidates.filter { (1...CivilDate.daysIn(month: month, year: $0)).contains(day) }
            .map { CivilDate(year: $0, month: month, day: day) }
        return valid.min { abs($0.daysSinceEpoch - reference.daysSinceEpoch) < abs($1.daysSinceEpoch - reference.daysSinceEpoch) }
    }

    private static func ordinal(_ word: Substring) -> Substring {
        for suffix in ["st", "nd", "rd", "th"] where word.lowercased().hasSuffix(suffix) {
            return word.dropLast(2)
        }
        return word
    }

    // MARK: - Update lines

    enum UpdateLine {
        case none
        /// The line has the shape of an update line but its time cannot be.
        case invalid(String)
        case valid(hour: Int, minute: Int, offsetMinutes: Int, headline: String, note: String?)
    }

    /// `12:00 GMT – headline`, `9:05 GMT+3 — headline`, `14:30 CET - headline`, `7.45 – headline`,
    /// `1430 GMT – headline` (four digits only with a zone), `12:00 GMT: headline`, `12:00 GMT | headline`.
    private static let updatePattern = try! NSRegularExpression(pattern:
        #"^(\d{1,2})(?:[:.](\d{2})|(\d{2})(?=\s*[A-Za-z]{2,5}\b))(?:\s*([ap])\.?m\.?(?![a-z]))?(?:\s*([A-Za-z]{1,5})\b)?(?:\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?)?(?:\s*\((?:local time|local)\))?(?:\s+[–—‒―-]+\s+|\s*[:|]\s+)(\S.*)$"#)

    static func updateLine(_ paragraph: String) -> UpdateLine {
        guard let first = paragraph.unicodeScalars.first, ("0"..."9").contains(first) else { return .none }
        let range = NSRange(paragraph.startIndex..., in: paragraph)
        guard let match = updatePattern.firstMatch(in: paragraph, range: range) else { return .none }
        let text = { (i: Int) -> String? in Range(match.range(at: i), in: paragraph).map { String(paragraph[$0]) } }
        guard let hourText = text(1), let minuteText = text(2) ?? text(3), let hour = Int(hourText), let minute = Int(minuteText),
              let headline = text(9) else { return .none }
        var hour24 = hour
        if let meridiem = text(4)?.lowercased() {
            guard (1...12).contains(hour) else { return text(5) == nil ? .none : .invalid("\(hourText):\(minuteText)\(meridiem)m") }
            hour24 = hour % 12 + (meridiem == "p" ? 12 : 0)
        }
        // An impossible clock is an update line only with a zone; `25:61 – …` is prose.
        guard hour24 < 24, minute < 60 else { return text(5) == nil ? .none : .invalid("\(hourText):\(minuteText)") }
        var offset = 0
        var note: String?
        if let zone = text(5) {
            if let known = Knowledge.zoneOffsets[zone.uppercased()] {
                offset = known
            } else {
                note = "unknown zone '\(zone)' read as GMT"
            }
        }
        if let sign = text(6), let hours = text(7).flatMap(Int.init) {
            let minutes = text(8).flatMap(Int.init) ?? 0
            guard hours <= 14, minutes < 60 else { return .invalid("\(hourText):\(minuteText) \(sign)\(hours)") }
            offset += (hours * 60 + minutes) * (sign == "+" ? 1 : -1)
        }
        return .valid(hour: hour24, minute: minute, offsetMinutes: offset, headline: headline, note: note)
    }
}
