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
            guard let base = bytes.baseAddress else { return false }
            // The C library's search for the byte runs many bytes at a time; `(` is checked at each `@`.
            var i = 0
            while i < bytes.count, let found = memchr(base + i, 0x40, bytes.count - i) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if at > 0, bytes[at - 1] == UInt8(ascii: "(") { return true }
                i = at + 1
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

    private static let linkPrefixBytes: [[UInt8]] = ["https://t.co/", "http://t.co/", "pic.twitter.com/"].map { Array($0.utf8) }

    /// `\w`: letters, marks, decimal digits, connectors, the two joiners.
    private static func isWordCharacter(_ value: UInt32) -> Bool {
        if value < 0x80 { return Bytes.isASCIILetter(UInt8(value)) || Bytes.isDigit(UInt8(value)) || value == 0x5F }
        guard let c = Unicode.Scalar(value) else { return false }
        if c == "\u{200C}" || c == "\u{200D}" || c.properties.isAlphabetic { return true }
        switch c.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// The links of a tweet's text, left to right, as `(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)`
    /// finds them, in one pass over the bytes without a regular expression.
    static func links(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { s in
            var links: [String] = []
            var i = 0
            while i < s.count {
                var end: Int?
                // Each prefix starts with `h` or `p`: other bytes start none.
                if s[i] != UInt8(ascii: "h"), s[i] != UInt8(ascii: "p") {
                    i += 1
                    continue
                }
                for prefix in linkPrefixBytes where s[i] == prefix[0] && Bytes.hasPrefix(s, i, prefix, caseInsensitive: false) {
                    var j = i + prefix.count
                    while j < s.count {
                        let (value, width) = Bytes.scalar(s, at: j)
                        guard isWordCharacter(value) else { break }
                        j += width
                    }
                    if j > i + prefix.count { end = j }
                    break
                }
                if let end {
                    links.append(String(decoding: UnsafeBufferPointer(rebasing: s[i..<end]), as: UTF8.self))
                    i = end
                } else {
                    i += 1
                }
            }
            return links
        }
    }
    /// Longer than this, what follows the last `(@` is not a handle and a date.
    static let maximumSignatureTailLength = 64
    private static let enOrEmDash: Set<Unicode.Scalar> = ["\u{2013}", "\u{2014}"]

    static func tweet(in paragraph: String) -> Tweet? {
        var paragraph = paragraph
        return paragraph.withUTF8(tweet)
    }

    /// The tweet on a paragraph's bytes: every position is a scalar's first byte, and the
    /// marks looked for (`(@`, dashes) are found by their bytes.
    private static func tweet(in s: UnsafeBufferPointer<UInt8>) -> Tweet? {
        func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: s[range]), as: UTF8.self) }
        func isWhitespace(at i: Int) -> Bool { Bytes.isWhitespace(Bytes.scalar(s, at: i).value) }
        // The last `(@`, then the handle and the date to the end.
        var handleStart = s.count - 2
        while handleStart >= 0, !(s[handleStart] == UInt8(ascii: "(") && s[handleStart + 1] == UInt8(ascii: "@")) { handleStart -= 1 }
        guard handleStart > 0, s.count - handleStart <= maximumSignatureTailLength
                || s[handleStart...].reduce(0, { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }) <= maximumSignatureTailLength,
              Bytes.isWhitespace(Bytes.scalar(s, before: handleStart).value),
              let signature = signatureTail(UnsafeBufferPointer(rebasing: s[handleStart...])) else { return nil }
        // The signature's dash: the first one followed by a space after the last en or em
        // dash (an author holds none); the author is what lies between it and the handle.
        var head = handleStart
        while head > 0, case let (value, start) = Bytes.scalar(s, before: head), Bytes.isWhitespace(value) { head = start }
        var lastStrongDash = 0
        var k = head - 3
        while k >= 0 {
            if isStrongDash(s, k) {
                lastStrongDash = k
                break
            }
            k -= 1
        }
        var dash: Int?
        var index = lastStrongDash
        while index < head {
            let width = s[index] == UInt8(ascii: "-") ? 1 : isStrongDash(s, index) ? 3 : 0
            if width > 0, index + width < head, isWhitespace(at: index + width) {
                var authorStart = index + width
                while authorStart < head, case let (value, w) = Bytes.scalar(s, at: authorStart), Bytes.isWhitespace(value) { authorStart += w }
                if authorStart < head {
                    dash = index
                    break
                }
            }
            index += 1
        }
        guard let dash else { return nil }
        let hyphen = s[dash] == UInt8(ascii: "-")
        var text = Bytes.trimmingSpaces(string(0..<dash))
        var author = string((dash + (hyphen ? 1 : 3))..<head)
        // After a hyphen, a text that itself holds ` - ` is the exception: the signature's is
        // the last spaced hyphen. After an en or em dash, a hyphen belongs to the name
        // (`Avaka - News Agency`).
        if hyphen, let lastDash = lastSpacedHyphen(in: author) {
            text += " - " + Bytes.trimmingSpaces(String(author[..<lastDash.lowerBound]))
            author = String(author[lastDash.upperBound...])
        }
        // `February 28, 2020` or `28 February 2020`.
        guard let month = EnglishCalendar.month(Substring(signature.month)), let day = Int(signature.day), let year = Int(signature.year),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        let cleanText = Bytes.trimmingSpaces(text)
        let links = Self.links(in: cleanText)
        return Tweet(author: Bytes.trimmingSpaces(author), handle: signature.handle,
                     date: CivilDate(year: year, month: month, day: day).iso8601, text: cleanText, links: links)
    }

    /// An en or em dash (U+2013, U+2014) whose bytes start at `i`.
    private static func isStrongDash(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i + 2 < s.count && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0x93 || s[i + 2] == 0x94)
    }

    /// Where the last ` - ` stands, as Foundation's backward search finds it: on the bytes
    /// when no character beyond ASCII touches it (none can then join its spaces), else by
    /// Foundation. Only ASCII ` - ` can match ` - `, so no match on the bytes is none at all.
    private static func lastSpacedHyphen(in author: String) -> Range<String.Index>? {
        var author = author
        let (found, plain) = author.withUTF8 { b -> (Int?, Bool) in
            var i = b.count - 3
            while i >= 0 {
                if b[i] == 0x20, b[i + 1] == UInt8(ascii: "-"), b[i + 2] == 0x20 {
                    return (i, !(i > 0 && b[i - 1] >= 0x80) && !(i + 3 < b.count && b[i + 3] >= 0x80))
                }
                i -= 1
            }
            return (nil, true)
        }
        guard plain else { return author.range(of: " - ", options: .backwards) }
        return found.map { i in
            let start = author.utf8.index(author.startIndex, offsetBy: i)
            return start..<author.utf8.index(start, offsetBy: 3)
        }
    }

    /// The handle, month, day and year `signatureTailPattern` captures in a signature's tail
    /// (`(@handle) February 28, 2020`), read by hand when the tail is printable ASCII (there
    /// `\w`, `\s` and `\d` are `[A-Za-z0-9_]`, the space and `[0-9]`, and every quantifier
    /// takes a whole run or fails); by the pattern otherwise.
    private static func signatureTail(_ t: UnsafeBufferPointer<UInt8>) -> (handle: String, month: String, day: String, year: String)? {
        func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: t[range]), as: UTF8.self) }
        guard t.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return patternTail(string(0..<t.count)) }
        var i = 2
        func run(_ test: (UInt8) -> Bool) -> Range<Int> {
            let start = i
            while i < t.count, test(t[i]) { i += 1 }
            return start..<i
        }
        func spaces() -> Bool { !run { $0 == 0x20 }.isEmpty }
        func period() { if i < t.count, t[i] == UInt8(ascii: ".") { i += 1 } }
        let name = run { Bytes.isASCIILetter($0) || Bytes.isDigit($0) || $0 == UInt8(ascii: "_") }
        guard (1...30).contains(name.count), i < t.count, t[i] == UInt8(ascii: ")") else { return nil }
        i += 1
        guard spaces(), i < t.count else { return nil }
        let month: Range<Int>
        let day: Range<Int>
        if Bytes.isASCIILetter(t[i]) {
            month = run(Bytes.isASCIILetter)
            guard (3...9).contains(month.count) else { return nil }
            period()
            guard spaces() else { return nil }
            day = run(Bytes.isDigit)
            guard (1...2).contains(day.count) else { return nil }
        } else {
            day = run(Bytes.isDigit)
            guard (1...2).contains(day.count), spaces() else { return nil }
            month = run(Bytes.isASCIILetter)
            guard (3...9).contains(month.count) else { return nil }
            period()
        }
        if i < t.count, t[i] == UInt8(ascii: ",") { i += 1 }
        guard spaces() else { return nil }
        let year = run(Bytes.isDigit)
        guard year.count == 4 else { return nil }
        period()
        guard i == t.count else { return nil }
        return ("@" + string(name), string(month), string(day), string(year))
    }

    private static func patternTail(_ tail: String) -> (handle: String, month: String, day: String, year: String)? {
        guard let match = signatureTailPattern.firstMatch(in: tail, range: NSRange(tail.startIndex..., in: tail)) else { return nil }
        let group = { (i: Int) -> String in Range(match.range(at: i), in: tail).map { String(tail[$0]) } ?? "" }
        return (group(1), group(2).isEmpty ? group(5) : group(2), group(3).isEmpty ? group(4) : group(3), group(6))
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
        var paragraph = paragraph
        return paragraph.withUTF8 { b in
            let n = b.count
            return n >= 4 && b[n - 4] == UInt8(ascii: ":") && Bytes.isDigit(b[n - 3]) && Bytes.isDigit(b[n - 2]) && b[n - 1] == UInt8(ascii: ")")
        }
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
        var paragraph = paragraph
        if let plain = paragraph.withUTF8(plainVideo) { return plain }
        guard let caption = durationCaption(paragraph) else { return nil }
        let title = caption.title
        guard let minutes = Int(caption.minutes), let seconds = Int(caption.seconds),
              seconds < 60, title.count <= maximumVideoTitleLength, isCaption(title) else { return nil }
        let hours = caption.hours.flatMap(Int.init) ?? 0
        if hours > 0 && minutes >= 60 { return nil }
        return Video(title: title, duration: hours * 3600 + minutes * 60 + seconds)
    }

    /// `video(in:)` for a paragraph of printable ASCII, on its bytes: there a character is a
    /// byte, `\s` is the space, and no line ends; nil for any other paragraph.
    private static func plainVideo(_ b: UnsafeBufferPointer<UInt8>) -> Video?? {
        guard b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        func digits(endingBefore end: Int) -> Int? {
            var start = end
            while start > 0, Bytes.isDigit(b[start - 1]) { start -= 1 }
            return (1...2).contains(end - start) ? start : nil
        }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(b[$1] - 0x30) } }
        let n = b.count
        guard n >= 6, b[n - 1] == UInt8(ascii: ")"), Bytes.isDigit(b[n - 2]), Bytes.isDigit(b[n - 3]), b[n - 4] == UInt8(ascii: ":"),
              let minutesStart = digits(endingBefore: n - 4), minutesStart > 0 else { return .some(nil) }
        var open = minutesStart - 1
        var hours = 0
        if b[open] == UInt8(ascii: ":") {
            guard let hoursStart = digits(endingBefore: open), hoursStart > 0, b[hoursStart - 1] == UInt8(ascii: "(") else { return .some(nil) }
            hours = number(hoursStart..<open)
            open = hoursStart - 1
        }
        guard b[open] == UInt8(ascii: "("), open > 0 else { return .some(nil) }
        var titleEnd = open
        while titleEnd > 0, b[titleEnd - 1] == 0x20 { titleEnd -= 1 }
        titleEnd = max(titleEnd, 1)
        let minutes = number(minutesStart..<(n - 4)), seconds = number((n - 3)..<(n - 1))
        let title = UnsafeBufferPointer(rebasing: b[..<titleEnd])
        guard seconds < 60, titleEnd <= maximumVideoTitleLength, isPlainCaption(title) else { return .some(nil) }
        if hours > 0 && minutes >= 60 { return .some(nil) }
        return Video(title: String(decoding: title, as: UTF8.self), duration: hours * 3600 + minutes * 60 + seconds)
    }

    /// `isCaption` for a title of printable ASCII.
    private static func isPlainCaption(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        if hasClockWithZone(t) { return false }
        if t.count >= 3, t[t.count - 3] == UInt8(ascii: "."), t[t.count - 2] == UInt8(ascii: "."), t[t.count - 1] == UInt8(ascii: ".") {
            return !hasSentenceBreak(UnsafeBufferPointer(rebasing: t[..<(t.count - 3)]))
        }
        guard let last = t.last, last != UInt8(ascii: "."), last != UInt8(ascii: ","), last != UInt8(ascii: ";"),
              last != UInt8(ascii: ":") else { return false }
        return !hasSentenceBreak(t)
    }

    /// Whether `. ` occurs.
    private static func hasSentenceBreak(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i + 1 < t.count {
            if t[i] == UInt8(ascii: "."), t[i + 1] == 0x20 { return true }
            i += 1
        }
        return false
    }

    private static let zoneWordsAfterAClock: [[UInt8]] = ["local time", "gmt", "utc"].map { Array($0.utf8) }

    /// `clockWithZone` on printable ASCII: a clock `9:05` or `13.57` that starts a word,
    /// spaces, then `local time`, `GMT` or `UTC` in any case, ending a word.
    private static func hasClockWithZone(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        func isWord(_ c: UInt8) -> Bool { Bytes.isASCIILetter(c) || Bytes.isDigit(c) || c == UInt8(ascii: "_") }
        var p = 0
        while p < t.count {
            defer { p += 1 }
            guard Bytes.isDigit(t[p]), p == 0 || !isWord(t[p - 1]) else { continue }
            var i = p
            while i < t.count, Bytes.isDigit(t[i]) { i += 1 }
            guard i - p <= 2, i + 3 <= t.count, t[i] == UInt8(ascii: ":") || t[i] == UInt8(ascii: "."),
                  Bytes.isDigit(t[i + 1]), Bytes.isDigit(t[i + 2]) else { continue }
            var j = i + 3
            while j < t.count, t[j] == 0x20 { j += 1 }
            for word in zoneWordsAfterAClock where Bytes.hasPrefix(t, j, word) {
                if j + word.count == t.count || !isWord(t[j + word.count]) { return true }
            }
        }
        return false
    }
}
