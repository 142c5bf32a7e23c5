/// English month and weekday names as liveblog day headers and tweet signatures write them.
enum EnglishCalendar {
    static let months = ["january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december"]
    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// 1...12 for a full or three-letter month name (`Sept` too), any case.
    static func month(_ word: Substring) -> Int? {
        let lower = word.lowercased().trimmingTrailingPeriod
        if let full = months.firstIndex(of: lower) { return full + 1 }
        if lower == "sept" { return 9 }
        guard lower.count == 3 else { return nil }
        return months.firstIndex { $0.hasPrefix(lower) }.map { $0 + 1 }
    }

    static func isWeekday(_ word: Substring) -> Bool {
        let lower = word.lowercased().trimmingTrailingPeriod
        return weekdays.contains(lower) || (lower.count == 3 && weekdays.contains { $0.hasPrefix(lower) })
    }
}

extension String {
    var trimmingTrailingPeriod: String { hasSuffix(".") || hasSuffix(",") ? String(dropLast()) : self }
}
