import Foundation

/// The zone a stamp's clock is read in: a fixed offset, or a region whose offset follows its
/// daylight-saving rules on the day (`ET` is UTC−5 in January and UTC−4 in August).
enum Zone: Hashable, Sendable {
    /// Minutes east of UTC.
    case fixed(Int)
    /// A region of `zones.json`, by its tz name (`America/New_York`).
    case region(String)

    static let utc = Zone.fixed(0)
}

/// The tz rules of `zones.json`: regions made of eras, each with a standard offset and an
/// optional daylight-saving rule, in the tz database's notation.
struct ZoneRules: Sendable {
    struct Transition: Decodable, Sendable {
        /// Month, 1...12.
        let `in`: Int
        /// `lastSun`, `Sun>=8`, or a day of the month.
        let on: String
        /// `2:00` wall clock, `2:00s` standard time, `1:00u` UTC.
        let at: String
    }

    struct Rule: Decodable, Sendable {
        let from: Int
        let to: Int?
        /// Minutes added to the standard offset while the rule is in force.
        let save: Int
        let start: Transition
        let end: Transition
    }

    struct Era: Decodable, Sendable {
        /// The first day (UTC) the era no longer applies, `YYYY-MM-DD`; nil for the current one.
        let until: String?
        let standard: Int
        let rule: String?
    }

    let rules: [String: [Rule]]
    let regions: [String: [Era]]

    /// The offset east of UTC, in minutes, of `zone` at a UTC instant.
    func offsetMinutes(of zone: Zone, at instant: Instant) -> Int {
        switch zone {
        case .fixed(let minutes):
            return minutes
        case .region(let name):
            guard let era = era(of: name, at: instant) else { return 0 }
            return era.standard + daylightSaving(era, at: instant)
        }
    }

    /// The UTC instant of a wall-clock time in `zone`. In a spring-forward gap the standard
    /// offset is used; in a fall-back overlap, the standard (second) reading.
    func instant(localSeconds local: Int64, in zone: Zone) -> Instant {
        switch zone {
        case .fixed(let minutes):
            return Instant(secondsSinceEpoch: local - Int64(minutes) * 60)
        case .region(let name):
            guard let era = era(of: name, at: Instant(secondsSinceEpoch: local)) else { return Instant(secondsSinceEpoch: local) }
            let standard = Instant(secondsSinceEpoch: local - Int64(era.standard) * 60)
            let save = daylightSaving(era, at: standard)
            guard save != 0 else { return standard }
            let daylight = Instant(secondsSinceEpoch: local - Int64(era.standard + save) * 60)
            return daylightSaving(era, at: daylight) != 0 ? daylight : standard
        }
    }

    private func era(of region: String, at instant: Instant) -> Era? {
        guard let eras = regions[region] else { return nil }
        let day = instant.civilDate.iso8601
        return eras.first { $0.until.map { day < $0 } ?? true } ?? eras.last
    }

    /// Minutes of daylight saving in force at `instant` under the era's rule.
    private func daylightSaving(_ era: Era, at instant: Instant) -> Int {
        guard let name = era.rule, let rules = rules[name] else { return 0 }
        let year = instant.civilDate.year
        guard let rule = rules.first(where: { $0.from <= year && year <= ($0.to ?? Int.max) }),
              let start = Self.moment(rule.start, year: year, standard: era.standard, saveBefore: 0),
              let end = Self.moment(rule.end, year: year, standard: era.standard, saveBefore: rule.save)
        else { return 0 }
        let inForce = start < end ? (instant >= start && instant < end) : (instant >= start || instant < end)
        return inForce ? rule.save : 0
    }

    /// The UTC instant of a transition in a year; the wall clock before it runs `saveBefore` ahead of standard.
    static func moment(_ transition: Transition, year: Int, standard: Int, saveBefore: Int) -> Instant? {
        guard let day = day(transition.on, month: transition.in, year: year) else { return nil }
        var at = Substring(transition.at)
        var shift = standard + saveBefore
        if at.hasSuffix("u") {
            shift = 0
            at = at.dropLast()
        } else if at.hasSuffix("s") {
            shift = standard
            at = at.dropLast()
        }
        let parts = at.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        let local = Int64(day.daysSinceEpoch) * 86_400 + Int64(parts[0] * 3600 + parts[1] * 60)
        return Instant(secondsSinceEpoch: local - Int64(shift) * 60)
    }

    /// `lastSun`, `Fri>=23`, `15`: the tz database's day of a month.
    static func day(_ spec: String, month: Int, year: Int) -> CivilDate? {
        let length = CivilDate.daysIn(month: month, year: year)
        if let fixed = Int(spec) {
            return (1...length).contains(fixed) ? CivilDate(year: year, month: month, day: fixed) : nil
        }
        if spec.hasPrefix("last"), let weekday = EnglishCalendar.weekday(Substring(spec.dropFirst(4))) {
            let last = CivilDate(year: year, month: month, day: length)
            let back = (last.weekday - weekday + 7) % 7
            return CivilDate(year: year, month: month, day: length - back)
        }
        let sides = spec.components(separatedBy: ">=")
        guard sides.count == 2, let weekday = EnglishCalendar.weekday(Substring(sides[0])), let floor = Int(sides[1]),
              (1...length).contains(floor) else { return nil }
        let first = CivilDate(year: year, month: month, day: floor)
        let day = floor + (weekday - first.weekday + 7) % 7
        return day <= length ? CivilDate(year: year, month: month, day: day) : nil
    }
}

extension CivilDate {
    /// 1 for Monday … 7 for Sunday (ISO 8601); 1970-01-01 was a Thursday.
    var weekday: Int {
        let days = daysSinceEpoch
        return ((days + 3) % 7 + 7) % 7 + 1
    }
}
