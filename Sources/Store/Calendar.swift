/// English month and weekday names as liveblog day headers, stamps and tweet signatures
/// write them, from `calendar.json`.
enum EnglishCalendar {
    struct Table: Decodable {
        let months: [[String]]
        let weekdays: [[String]]
        let ordinal_suffixes: [String]
    }

    static let table: Table = Knowledge.load(Table.self, from: "calendar")
    /// Full month names, lowercase, January first.
    static let months: [String] = table.months.map { $0[0] }
    private static let monthByName: [String: Int] = index(table.months)
    private static let weekdayByName: [String: Int] = index(table.weekdays)
    static let ordinalSuffixes: [String] = table.ordinal_suffixes
    /// Every spelling of a month or a weekday, lowercase: a word that is none of them starts
    /// no date, and the grammar asks this without making a string of it.
    static let words = WordTable(Array(Set(monthByName.keys).union(weekdayByName.keys)))

    /// Every spelling of every entry, lowercase, to its position counted from 1.
    private static func index(_ names: [[String]]) -> [String: Int] {
        var byName: [String: Int] = [:]
        for (position, spellings) in names.enumerated() {
            for spelling in spellings { byName[spelling.lowercased()] = position + 1 }
        }
        return byName
    }

    /// 1...12 for a month name or abbreviation (`Sept.` too), any case.
    static func month(_ word: Substring) -> Int? {
        monthByName[word.lowercased().trimmingTrailingPeriod]
    }

    /// 1 (Monday) ... 7 (Sunday) for a weekday name or abbreviation, any case.
    static func weekday(_ word: Substring) -> Int? {
        weekdayByName[word.lowercased().trimmingTrailingPeriod]
    }

    static func isWeekday(_ word: Substring) -> Bool { weekday(word) != nil }

    private static let monthSpellings = Array(monthByName.keys)
    private static let monthTable = WordTable(monthSpellings)
    private static let monthOfSpelling = monthSpellings.map { monthByName[$0]! }
    private static let weekdaySpellings = Array(weekdayByName.keys)
    private static let weekdayTable = WordTable(weekdaySpellings)
    private static let weekdayOfSpelling = weekdaySpellings.map { weekdayByName[$0]! }

    /// `month(_:)` for a word of ASCII bytes, found without making a string of it.
    static func month(ascii word: UnsafeBufferPointer<UInt8>) -> Int? {
        monthTable.value(ofLowering: trimmingTrailingPeriod(word)).map { monthOfSpelling[$0] }
    }

    /// `weekday(_:)` for a word of ASCII bytes, found without making a string of it.
    static func weekday(ascii word: UnsafeBufferPointer<UInt8>) -> Int? {
        weekdayTable.value(ofLowering: trimmingTrailingPeriod(word)).map { weekdayOfSpelling[$0] }
    }

    private static func trimmingTrailingPeriod(_ word: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let last = word.last, last == UInt8(ascii: ".") || last == UInt8(ascii: ",") else { return word }
        return UnsafeBufferPointer(rebasing: word.dropLast())
    }
}

extension String {
    var trimmingTrailingPeriod: String { hasSuffix(".") || hasSuffix(",") ? String(dropLast()) : self }
}
