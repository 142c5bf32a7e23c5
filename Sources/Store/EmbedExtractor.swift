import Foundation

/// Recognizes the paragraphs that are embeds, not prose: tweets by their signature and
/// videos by their caption's duration.
enum EmbedExtractor {
    /// Longer than this, a paragraph ending in `(m:ss)` is prose, not a caption.
    static let maximumVideoTitleLength = 200

    /// The embed a paragraph is, or nil when it is prose.
    static func embed(in paragraph: String) -> Embed? {
        if paragraph.contains("(@"), let tweet = tweet(in: paragraph) { return .tweet(tweet) }
        if paragraph.hasSuffix(")"), let video = video(in: paragraph) { return .video(video) }
        return nil
    }

    // `… – Display Name (@handle) February 28, 2020`: the text is greedy so the signature's
    // dash is the last one; the author may hold parentheses (`Civil Defence Unit (CDU)`).
    private static let tweetPattern = try! NSRegularExpression(pattern:
        #"^(.*?)\s*[–—-]\s+([^–—]+?)\s+\((@\w{1,30})\)\s+(?:([A-Za-z]{3,9})\.?\s+(\d{1,2})|(\d{1,2})\s+([A-Za-z]{3,9})\.?),?\s+(\d{4})\.?$"#)
    private static let linkPattern = try! NSRegularExpression(pattern: #"(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)"#)

    static func tweet(in paragraph: String) -> Tweet? {
        let range = NSRange(paragraph.startIndex..., in: paragraph)
        guard let match = tweetPattern.firstMatch(in: paragraph, range: range) else { return nil }
        let group = { (i: Int) -> String in Range(match.range(at: i), in: paragraph).map { String(paragraph[$0]) } ?? "" }
        // The text is lazy above so that an author with a hyphenated name is whole; a text
        // that itself holds ` – ` is the exception, caught by taking the last spaced dash.
        var text = group(1)
        var author = group(2)
        if let lastDash = author.range(of: #"\s[–—-]\s"#, options: [.regularExpression, .backwards]) {
            text += " " + author[..<lastDash.lowerBound]
            author = String(author[lastDash.upperBound...])
        }
        // `February 28, 2020` or `28 February 2020`.
        let monthName = group(4).isEmpty ? group(7) : group(4)
        let dayText = group(5).isEmpty ? group(6) : group(5)
        guard let month = EnglishCalendar.month(Substring(monthName)), let day = Int(dayText), let year = Int(group(8)),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        let cleanText = text.trimmingCharacters(in: .whitespaces)
        let links = linkPattern.matches(in: cleanText, range: NSRange(cleanText.startIndex..., in: cleanText))
            .compactMap { Range($0.range, in: cleanText).map { String(cleanText[$0]) } }
        return Tweet(author: author.trimmingCharacters(in: .whitespaces), handle: group(3),
                     date: CivilDate(year: year, month: month, day: day).iso8601, text: cleanText, links: links)
    }

    /// A caption is one title: no full stop ending it (an ellipsis may), no sentence
    /// break inside it, no comma or colon left hanging.
    private static let clockWithZone = try! NSRegularExpression(pattern: #"\b\d{1,2}[:.]\d{2}\s*(?:local time|GMT|UTC)\b"#,
                                                                options: [.caseInsensitive])

    private static func isCaption(_ title: String) -> Bool {
        // `Kick-off is at 20:45 local time (18:45)`: a time converted in brackets, not a duration.
        if clockWithZone.firstMatch(in: title, range: NSRange(title.startIndex..., in: title)) != nil { return false }
        if title.hasSuffix("...") || title.hasSuffix("…") { return !title.dropLast(3).contains(". ") }
        guard let last = title.last, !".,;:".contains(last) else { return false }
        return !title.contains(". ")
    }

    private static let videoPattern = try! NSRegularExpression(pattern: #"^(.+?)\s*\((?:(\d{1,2}):)?(\d{1,2}):(\d{2})\)$"#)

    static func video(in paragraph: String) -> Video? {
        let range = NSRange(paragraph.startIndex..., in: paragraph)
        guard let match = videoPattern.firstMatch(in: paragraph, range: range) else { return nil }
        let group = { (i: Int) -> String? in Range(match.range(at: i), in: paragraph).map { String(paragraph[$0]) } }
        guard let title = group(1), let minutes = group(3).flatMap(Int.init), let seconds = group(4).flatMap(Int.init),
              seconds < 60, title.count <= maximumVideoTitleLength, isCaption(title) else { return nil }
        let hours = group(2).flatMap(Int.init) ?? 0
        if hours > 0 && minutes >= 60 { return nil }
        return Video(title: title, duration: hours * 3600 + minutes * 60 + seconds)
    }
}
