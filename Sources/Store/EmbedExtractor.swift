import Foundation

/// Recognizes the paragraphs that are embeds, not prose: tweets by their signature and
/// videos by their caption's duration.
enum EmbedExtractor {
    /// Longer than this, a paragraph ending in `(m:ss)` is prose, not a caption.
    static let maximumVideoTitleLength = 200

    /// Whether `(@` occurs: every tweet signature has it. A byte scan, not Foundation's search.
    static func hasHandle(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == UInt8(ascii: "@"), previous == UInt8(ascii: "(") { return true }
                previous = byte
            }
            return false
        }
    }

    /// The embed a paragraph is, or nil when it is prose.
    static func embed(in paragraph: String) -> Embed? {
        if hasHandle(paragraph), let tweet = tweet(in: paragraph) { return .tweet(tweet) }
        if endsLikeADuration(paragraph), let video = video(in: paragraph) { return .video(video) }
        return nil
    }

    // `… – Display Name (@handle) February 28, 2020`, read from the end so that any paragraph
    // takes one pass: the handle and date close it; the author runs back to the signature's
    // dash and may hold parentheses (`Civil Defence Unit (CDU)`).
    private static let signatureTailPattern = try! NSRegularExpression(pattern:
        #"^\((@\w{1,30})\)\s+(?:([A-Za-z]{3,9})\.?\s+(\d{1,2})|(\d{1,2})\s+([A-Za-z]{3,9})\.?),?\s+(\d{4})\.?$"#)
    /// What starts a tweet's link (`https?://t.co/…`, `pic.twitter.com/…`), a run of word
    /// characters after it.
    private static let linkPrefixes: [[Unicode.Scalar]] = ["https://t.co/", "http://t.co/", "pic.twitter.com/"].map { Array($0.unicodeScalars) }

    /// The links of a tweet's text, left to right, as `(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)`
    /// finds them (`\w`: letters, marks, decimal digits, connectors, the two joiners), in one
    /// pass without a regular expression.
    static func links(in text: String) -> [String] {
        let s = Array(text.unicodeScalars)
        func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
            if c.isASCII { return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" }
            if c == "\u{200C}" || c == "\u{200D}" || c.properties.isAlphabetic { return true }
            switch c.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
            default: return false
            }
        }
        var links: [String] = []
        var i = 0
        while i < s.count {
            var end: Int?
            for prefix in linkPrefixes where s[i] == prefix[0] && i + prefix.count <= s.count
                && s[i..<(i + prefix.count)].elementsEqual(prefix) {
                var j = i + prefix.count
                while j < s.count, isWordCharacter(s[j]) { j += 1 }
                if j > i + prefix.count { end = j }
                break
            }
            if let end {
                links.append(Bytes.string(s[i..<end]))
                i = end
            } else {
                i += 1
            }
        }
        return links
    }
    /// Longer than this, what follows the last `(@` is not a handle and a date.
    static let maximumSignatureTailLength = 64
    private static let enOrEmDash: Set<Unicode.Scalar> = ["\u{2013}", "\u{2014}"]

    static func tweet(in paragraph: String) -> Tweet? {
        let scalars = Array(paragraph.unicodeScalars)
        // The last `(@`, then the handle and the date to the end.
        var handleStart = scalars.count - 2
        while handleStart >= 0, !(scalars[handleStart] == "(" && scalars[handleStart + 1] == "@") { handleStart -= 1 }
        guard handleStart > 0, scalars.count - handleStart <= maximumSignatureTailLength,
              scalars[handleStart - 1].properties.isWhitespace else { return nil }
        let tail = Bytes.string(scalars[handleStart...])
        guard let match = signatureTailPattern.firstMatch(in: tail, range: NSRange(tail.startIndex..., in: tail)) else { return nil }
        let group = { (i: Int) -> String in Range(match.range(at: i), in: tail).map { String(tail[$0]) } ?? "" }
        // The signature's dash: the first one followed by a space after the last en or em
        // dash (an author holds none); the author is what lies between it and the handle.
        var head = handleStart
        while head > 0, scalars[head - 1].properties.isWhitespace { head -= 1 }
        let lastStrongDash = scalars[..<head].lastIndex { enOrEmDash.contains($0) } ?? 0
        var dash: Int?
        for index in lastStrongDash..<head where enOrEmDash.contains(scalars[index]) || scalars[index] == "-" {
            guard index + 1 < head, scalars[index + 1].properties.isWhitespace else { continue }
            var authorStart = index + 1
            while authorStart < head, scalars[authorStart].properties.isWhitespace { authorStart += 1 }
            if authorStart < head {
                dash = index
                break
            }
        }
        guard let dash else { return nil }
        var text = Bytes.trimmingSpaces(Bytes.string(scalars[..<dash]))
        var author = Bytes.string(scalars[(dash + 1)..<head])
        // After a hyphen, a text that itself holds ` - ` is the exception: the signature's is
        // the last spaced hyphen. After an en or em dash, a hyphen belongs to the name
        // (`Avaka - News Agency`).
        if scalars[dash] == "-", let lastDash = author.range(of: " - ", options: .backwards) {
            text += " - " + Bytes.trimmingSpaces(String(author[..<lastDash.lowerBound]))
            author = String(author[lastDash.upperBound...])
        }
        // `February 28, 2020` or `28 February 2020`.
        let monthName = group(2).isEmpty ? group(5) : group(2)
        let dayText = group(3).isEmpty ? group(4) : group(3)
        guard let month = EnglishCalendar.month(Substring(monthName)), let day = Int(dayText), let year = Int(group(6)),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        let cleanText = Bytes.trimmingSpaces(text)
        let links = Self.links(in: cleanText)
        return Tweet(author: Bytes.trimmingSpaces(author), handle: group(1),
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
                    let title = Bytes.string(text[...index])
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

    /// Whether the paragraph ends in `:ss)`, as every caption's duration does: the bytes
    /// decide before the pattern runs.
    private static func endsLikeADuration(_ paragraph: String) -> Bool {
        let tail = paragraph.utf8.suffix(4)
        guard tail.count == 4 else { return false }
        let bytes = Array(tail)
        return bytes[0] == UInt8(ascii: ":") && Bytes.isDigit(bytes[1]) && Bytes.isDigit(bytes[2]) && bytes[3] == UInt8(ascii: ")")
    }

    /// `Title (m:ss)`, `Title (h:mm:ss)`: read back from the end of the paragraph, as the
    /// pattern `^(.+?)\s*\((?:(\d{1,2}):)?(\d{1,2}):(\d{2})\)$` would match it, without
    /// running a regular expression over every caption.
    private static func durationCaption(_ paragraph: String) -> (title: String, hours: String?, minutes: String, seconds: String)? {
        let s = Array(paragraph.unicodeScalars)
        func isDigit(_ c: Unicode.Scalar) -> Bool {
            c.isASCII ? ("0"..."9").contains(c) : c.properties.generalCategory == .decimalNumber
        }
        /// The run of one or two digits ending before `end`, and where it starts.
        func digits(endingBefore end: Int) -> Int? {
            var start = end
            while start > 0, isDigit(s[start - 1]) { start -= 1 }
            return (1...2).contains(end - start) ? start : nil
        }
        func text(_ range: Range<Int>) -> String { Bytes.string(s[range]) }
        let n = s.count
        guard n >= 6, s[n - 1] == ")", isDigit(s[n - 2]), isDigit(s[n - 3]), s[n - 4] == ":",
              let minutesStart = digits(endingBefore: n - 4), minutesStart > 0 else { return nil }
        var open = minutesStart - 1
        var hours: String?
        if s[open] == ":" {
            guard let hoursStart = digits(endingBefore: open), hoursStart > 0, s[hoursStart - 1] == "(" else { return nil }
            hours = text(hoursStart..<open)
            open = hoursStart - 1
        }
        guard s[open] == "(", open > 0 else { return nil }
        // `\s`: Unicode's white space; `.` is anything but a line end.
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c.properties.isWhitespace }
        func endsLine(_ c: Unicode.Scalar) -> Bool {
            ("\n"..."\r").contains(c) || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
        }
        var titleEnd = open
        while titleEnd > 0, isSpace(s[titleEnd - 1]) { titleEnd -= 1 }
        // The title is at least one character, the shortest the pattern allows.
        titleEnd = max(titleEnd, 1)
        guard !s[..<titleEnd].contains(where: endsLine) else { return nil }
        return (text(0..<titleEnd), hours, text(minutesStart..<(n - 4)), text((n - 3)..<(n - 1)))
    }

    static func video(in paragraph: String) -> Video? {
        guard let caption = durationCaption(paragraph) else { return nil }
        let title = caption.title
        guard let minutes = Int(caption.minutes), let seconds = Int(caption.seconds),
              seconds < 60, title.count <= maximumVideoTitleLength, isCaption(title) else { return nil }
        let hours = caption.hours.flatMap(Int.init) ?? 0
        if hours > 0 && minutes >= 60 { return nil }
        return Video(title: title, duration: hours * 3600 + minutes * 60 + seconds)
    }
}
