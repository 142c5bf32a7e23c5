import Foundation

/// Recognizes the paragraphs that are embeds, not prose: tweets by their signature and
/// videos by their caption's duration.
enum EmbedExtractor {
    /// Longer than this, a paragraph ending in `(m:ss)` is prose, not a caption.
    static let maximumVideoTitleLength = 200

    /// Whether `(@` occurs: every tweet signature has it. A byte scan, not Foundation's search.
    static func hasHandle(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "@"), previous == UInt8(ascii: "(") { return true }
            previous = byte
        }
        return false
    }

    /// The embed a paragraph is, or nil when it is prose.
    static func embed(in paragraph: String) -> Embed? {
        if hasHandle(paragraph), let tweet = tweet(in: paragraph) { return .tweet(tweet) }
        if paragraph.hasSuffix(")"), let video = video(in: paragraph) { return .video(video) }
        return nil
    }

    // `… – Display Name (@handle) February 28, 2020`: the text is lazy so that an author with
    // a hyphenated name is whole; the author may hold parentheses (`Civil Defence Unit (CDU)`).
    private static let tweetPattern = try! NSRegularExpression(pattern:
        #"^(.*?)\s*([–—-])\s+([^–—]+?)\s+\((@\w{1,30})\)\s+(?:([A-Za-z]{3,9})\.?\s+(\d{1,2})|(\d{1,2})\s+([A-Za-z]{3,9})\.?),?\s+(\d{4})\.?$"#)
    private static let linkPattern = try! NSRegularExpression(pattern: #"(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)"#)

    static func tweet(in paragraph: String) -> Tweet? {
        let range = NSRange(paragraph.startIndex..., in: paragraph)
        guard let match = tweetPattern.firstMatch(in: paragraph, range: range) else { return nil }
        let group = { (i: Int) -> String in Range(match.range(at: i), in: paragraph).map { String(paragraph[$0]) } ?? "" }
        var text = group(1)
        var author = group(3)
        // After a hyphen, a text that itself holds ` - ` is the exception: the signature's is
        // the last spaced hyphen. After an en or em dash, a hyphen belongs to the name
        // (`Avaka - News Agency`).
        if group(2) == "-", let lastDash = author.range(of: #"\s-\s"#, options: [.regularExpression, .backwards]) {
            text += " - " + author[..<lastDash.lowerBound]
            author = String(author[lastDash.upperBound...])
        }
        // `February 28, 2020` or `28 February 2020`.
        let monthName = group(5).isEmpty ? group(8) : group(5)
        let dayText = group(6).isEmpty ? group(7) : group(6)
        guard let month = EnglishCalendar.month(Substring(monthName)), let day = Int(dayText), let year = Int(group(9)),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        let cleanText = text.trimmingCharacters(in: .whitespaces)
        let links = linkPattern.matches(in: cleanText, range: NSRange(cleanText.startIndex..., in: cleanText))
            .compactMap { Range($0.range, in: cleanText).map { String(cleanText[$0]) } }
        return Tweet(author: author.trimmingCharacters(in: .whitespaces), handle: group(4),
                     date: CivilDate(year: year, month: month, day: day).iso8601, text: cleanText, links: links)
    }

    /// Longer than this, a paragraph starting with a dash is prose, not a tweet's signature.
    static let maximumSignatureLength = 160

    /// `— Name (@handle) August 20, 2021` alone: the end of a tweet split over two paragraphs.
    static func isSignature(_ paragraph: String) -> Bool {
        guard let first = paragraph.unicodeScalars.first, "–—-".unicodeScalars.contains(first),
              paragraph.utf8.count <= maximumSignatureLength, hasHandle(paragraph) else { return false }
        return tweet(in: "x " + paragraph) != nil
    }

    /// A stamp line whose text ends in a tweet: the outlet's own first sentence is the title,
    /// the rest is the tweet (`Asvaka reported that … . A young girl … – Name (@handle) Date`).
    /// A tweet of one sentence is the whole text, with an empty title.
    static func splitGluedTweet(_ line: String) -> (title: String, tweet: String)? {
        // The line is trimmed, so the tweet's text is its beginning.
        guard hasHandle(line), let tweet = tweet(in: line), line.hasPrefix(tweet.text) else { return nil }
        let text = tweet.text.unicodeScalars
        var index = text.startIndex
        while index < text.endIndex {
            let mark = text[index]
            let next = text.index(after: index)
            if ".!?".unicodeScalars.contains(mark), next < text.endIndex, text[next] == " " {
                let start = text.index(after: next)
                if start < text.endIndex, text[start].properties.isUppercase || "#\"“'‘@".unicodeScalars.contains(text[start]) {
                    let title = String(String.UnicodeScalarView(text[...index]))
                    let scalars = line.unicodeScalars
                    let offset = text.distance(from: text.startIndex, to: start)
                    return (title, String(scalars[scalars.index(scalars.startIndex, offsetBy: offset)...]))
                }
            }
            index = next
        }
        return ("", line)
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
