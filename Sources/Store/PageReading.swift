/// The state of reading one page top to bottom, a paragraph at a time: which day and zone
/// apply, which update is open, and what the reading could not place.
struct PageReading {
    typealias Section = ArticleSegmenter.Section

    private(set) var result: ArticleSegmenter.Result
    /// How many sections came before the first day header, dated from the crawl's date.
    private(set) var sectionsBeforeFirstDayHeader: Int?

    private let header: ArticleSegmenter.HeaderDate
    private let grammar = StampGrammar.shared
    private let zones = ZoneWords.shared
    private var currentDay: CivilDate?
    /// Whether the current day comes from a day header (trusted) or from the crawl's date.
    private var dayFromHeader = false
    /// The instant of the update above, while no day header came between: newest first
    /// holds in UTC, so a later instant means the reading crossed back over midnight.
    private var previousInstant: Instant?
    /// The zone of bare times: the page's declaration above, or its outlet's, or UTC.
    private var pageZone = Zone.utc
    private var zoneDeclared = false
    private var inSection = false
    private var skipping = false
    /// The open update's stamp stood alone: its title may be the next paragraph.
    private var awaitingHeadline = false

    init(header: ArticleSegmenter.HeaderDate) {
        self.header = header
        result = ArticleSegmenter.Result(date: header.text, lede: [], sections: [], warnings: [])
        currentDay = header.day.map { _ in header.reference }
    }

    mutating func read(_ paragraph: String, line: Int) {
        if let day = ArticleSegmenter.dayHeader(paragraph, near: header.reference) {
            if !dayFromHeader { sectionsBeforeFirstDayHeader = result.sections.count }
            currentDay = day
            dayFromHeader = true
            previousInstant = nil
            inSection = false
            skipping = false
            awaitingHeadline = false
            return
        }
        let reading = grammar.read(paragraph)
        switch reading {
        case .none, .unplaced:
            if case .unplaced(let stamp) = reading {
                result.warnings.append("line \(line): '\(stamp)' reads as an update stamp but no headline follows it; kept as a paragraph")
            }
            noteZone(in: paragraph)
            if skipping { return }
            if inSection {
                append(paragraph)
            } else if result.sections.isEmpty {
                result.lede.append(paragraph)
            } else {
                result.warnings.append("line \(line): a paragraph under a day header but before any update was skipped")
            }
        case .invalid(let what):
            result.warnings.append("line \(line): impossible time '\(what)' in an update stamp; the update and its paragraphs were skipped")
            skip()
        case .stamp(let stamp):
            open(stamp, line: line)
        }
    }

    private mutating func skip() {
        skipping = true
        inSection = false
        awaitingHeadline = false
    }

    /// A zone declaration applies below it; an outlet named in the lede sets the zone of bare
    /// times unless the page declares one.
    private mutating func noteZone(in paragraph: String) {
        if Self.mentionsTime(paragraph), let zone = grammar.declaredZone(in: paragraph) {
            pageZone = zone
            zoneDeclared = true
        } else if !zoneDeclared, result.sections.isEmpty, let zone = zones.outletZone(in: paragraph) {
            pageZone = zone
        }
    }

    /// Every declaration names a time (`All times …`, `timings`, `(… Time)`): `tim` in any case.
    private static func mentionsTime(_ paragraph: String) -> Bool {
        var paragraph = paragraph
        return paragraph.withUTF8 { bytes in
            // At each `m` (found eight bytes at a time), the two bytes before it.
            var i = Bytes.nextFolded(UInt8(ascii: "m"), in: bytes, from: 2)
            while i < bytes.count {
                if bytes[i - 1] | 0x20 == UInt8(ascii: "i"), bytes[i - 2] | 0x20 == UInt8(ascii: "t") { return true }
                i = Bytes.nextFolded(UInt8(ascii: "m"), in: bytes, from: i + 1)
            }
            return false
        }
    }

    private mutating func append(_ paragraph: String) {
        let index = result.sections.count - 1
        if awaitingHeadline {
            awaitingHeadline = false
            if grammar.isHeadline(paragraph), EmbedExtractor.embed(in: paragraph) == nil {
                result.sections[index].headline = paragraph
                return
            }
        }
        // A tweet's signature on its own line closes the tweet in the paragraph above.
        if let last = result.sections[index].paragraphs.last, EmbedExtractor.isSignature(paragraph),
           EmbedExtractor.tweet(in: last + " " + paragraph) != nil {
            result.sections[index].paragraphs[result.sections[index].paragraphs.count - 1] = last + " " + paragraph
            return
        }
        result.sections[index].paragraphs.append(paragraph)
    }

    private mutating func open(_ stamp: Stamp, line: Int) {
        let zone = stamp.zone ?? pageZone
        let time: Instant
        var datedByCrawl = false
        if let date = stamp.date {
            guard let day = ArticleSegmenter.nearestDay(month: date.month, day: date.day, year: date.year, to: header.reference) else {
                result.warnings.append("line \(line): the stamp's date is not a day; the update was skipped")
                return skip()
            }
            time = instant(on: day, stamp, zone)
            currentDay = day
        } else {
            guard var day = currentDay else {
                result.warnings.append("line \(line): the header gives no day and no day header came before this update; it was skipped")
                return skip()
            }
            var candidate = instant(on: day, stamp, zone)
            if let previous = previousInstant, candidate > previous {
                if dayFromHeader {
                    // A day header says which day it is: keep it, and say the order is off.
                    result.warnings.append("line \(line): \(candidate.rfc3339) is later than the update above it under the same day header")
                } else {
                    // No day header: a later time means the reading crossed midnight.
                    day = CivilDate(daysSinceEpoch: day.daysSinceEpoch - 1)
                    currentDay = day
                    candidate = instant(on: day, stamp, zone)
                }
            }
            time = candidate
            datedByCrawl = !dayFromHeader
        }
        previousInstant = time
        if let word = stamp.unknownZone {
            result.warnings.append("line \(line): unknown zone '\(word)' in an update stamp; read in the page's zone (\(describe(pageZone)))")
        }
        var section = Section(line: line, time: time, headline: stamp.headline ?? "", paragraphs: [], datedByCrawl: datedByCrawl)
        if let headline = stamp.headline, let (title, tweet) = EmbedExtractor.splitGluedTweet(headline) {
            section.headline = title
            section.paragraphs.append(tweet)
        }
        result.sections.append(section)
        inSection = true
        skipping = false
        awaitingHeadline = stamp.headline == nil
    }

    private func instant(on day: CivilDate, _ stamp: Stamp, _ zone: Zone) -> Instant {
        let local = Int64(day.daysSinceEpoch) * 86_400 + Int64(stamp.hour * 3600 + stamp.minute * 60)
        return zones.rules.instant(localSeconds: local, in: zone)
    }

    private func describe(_ zone: Zone) -> String {
        switch zone {
        case .fixed(let minutes):
            guard minutes != 0 else { return "UTC" }
            let sign = minutes < 0 ? "-" : "+"
            let m = abs(minutes)
            return "UTC\(sign)\(m / 60)" + (m % 60 == 0 ? "" : ":\(Instant.pad2(m % 60))")
        case .region(let name): return name
        }
    }
}
