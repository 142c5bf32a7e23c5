import Foundation

/// Repairs the debris scraping and machine translation leave in a paragraph, and nothing else.
///
/// One pass over the Unicode scalars decodes entities in any broken spacing, drops minifier
/// placeholders, and remembers which quotation marks came from a broken entity, because those
/// brought a stray space with them; a second pass tidies punctuation and spacing. Correct
/// text (`AT&T`, `#hashtag`, `…`, `...`) has nothing these passes match.
public enum TextRepair {
    /// A clean paragraph: entities decoded, placeholders gone, punctuation and spaces tidy, NFC.
    public static func repair(_ text: String) -> String {
        if text.utf8.withContiguousStorageIfAvailable(isClean) == true { return text }
        return repairScalars(text)
    }

    /// A line's bytes (valid UTF-8) repaired: a clean line is only copied.
    static func repair(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if isClean(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return repairScalars(String(decoding: bytes, as: UTF8.self))
    }

    private static func repairScalars(_ text: String) -> String {
        var scalars = scalarsOf(text)
        // Double encoding (`&amp;quot;`) needs a second round; a third catches triple. A round
        // finds something only where an entity (`&`), a bare `quot;` or a placeholder (`%`) is
        // (left): text that is only mis-spaced skips them all.
        for _ in 0..<3 {
            guard scalars.contains(where: { $0 == "&" || $0 == ";" || $0 == "%" }) else { break }
            let (decoded, changed) = decodeEntities(scalars)
            scalars = decoded
            if !changed { break }
        }
        let tidied = tidyPunctuationAndSpaces(scalars)
        let text = Bytes.string(tidied)
        // Only text with characters outside the ranges that are NFC as they stand needs composing.
        return tidied.allSatisfy { $0.isASCII || isComposedAsItStands($0.value) } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The text's scalars, decoded in one pass over its (valid) UTF-8 bytes into storage of
    /// the right size: `Array(text.unicodeScalars)` counts them in a pass of its own first.
    private static func scalarsOf(_ text: String) -> [Unicode.Scalar] {
        var text = text
        return text.withUTF8 { b in
            [Unicode.Scalar](unsafeUninitializedCapacity: b.count) { buffer, count in
                var i = 0, n = 0
                while i < b.count {
                    let c = b[i]
                    var value = UInt32(c)
                    if c < 0x80 {
                        i += 1
                    } else if c < 0xE0 {
                        value = UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                        i += 2
                    } else if c < 0xF0 {
                        value = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                        i += 3
                    } else {
                        value = UInt32(c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                            | UInt32(b[i + 3] & 0x3F)
                        i += 4
                    }
                    (buffer.baseAddress! + n).initialize(to: Unicode.Scalar(value) ?? "\u{FFFD}")
                    n += 1
                }
                count = n
            }
        }
    }

    // MARK: - Text that needs nothing

    /// Whether one pass over the bytes shows nothing either pass would change: no `&`, `%` or
    /// `;` (entities, placeholders, a bare `quot;`), no space that is doubled, leading,
    /// trailing or before punctuation, no `( `, `..` or spaced doubled mark, no tab or line
    /// end, and only characters that are NFC as they stand. Most paragraphs of real pages are
    /// like this, so the scalar passes run on the few that are not.
    private static func isClean(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first, first != 0x20, b[b.count - 1] != 0x20 else { return b.isEmpty }
        var i = 0
        while i < b.count {
            let c = b[i]
            // Letters, digits and most marks ask nothing: skipped by one table look-up.
            if !cleanNeedsALook[Int(c)] {
                i += 1
                continue
            }
            if c >= 0x80 {
                var value = UInt32(c)
                var width = 1
                if c >= 0xF0, i + 3 < b.count {
                    value = UInt32(c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
                    width = 4
                } else if c >= 0xE0, i + 2 < b.count {
                    value = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                    width = 3
                } else if c >= 0xC0, i + 1 < b.count {
                    value = UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                    width = 2
                }
                guard width > 1, isComposedAsItStands(value) else { return false }
                i += width
                continue
            }
            let next: UInt8 = i + 1 < b.count ? b[i + 1] : 0
            switch c {
            case 0x26, 0x25, 0x3B, 0x09, 0x0A, 0x0D:  // & % ; tab LF CR
                return false
            case 0x20:
                if next == 0x20 || next < 64 && (cleanSpaceMustNotPrecede >> UInt64(next)) & 1 == 1 { return false }
            case 0x28:  // (
                if next == 0x20 { return false }
            case 0x2E, 0x2C, 0x21, 0x3F:  // . , ! ?
                if c == 0x2E, next == 0x2E { return false }
                if next == 0x20, i + 2 < b.count, b[i + 2] == c { return false }
            default:
                break
            }
            i += 1
        }
        return true
    }

    /// The bytes `isClean` looks at: any byte of a multi-byte character, and the ASCII it tests.
    private static let cleanNeedsALook: [Bool] = (0..<256).map { byte in
        byte >= 0x80 || [0x26, 0x25, 0x3B, 0x09, 0x0A, 0x0D, 0x20, 0x28, 0x2E, 0x2C, 0x21, 0x3F].contains(byte)
    }

    /// Bytes a clean text never has a space before, as bits: `,` `;` `)` `.` `!` `?` `:`.
    private static let cleanSpaceMustNotPrecede: UInt64 = [0x2C, 0x3B, 0x29, 0x2E, 0x21, 0x3F, 0x3A].reduce(0) { $0 | 1 << $1 }

    /// Characters that are NFC whatever surrounds them: Latin letters and their modifiers
    /// (never the second half of a composition), general punctuation (quotes, dashes,
    /// ellipsis) and currency signs. No-break and other spaces are left to the tidy pass.
    private static func isComposedAsItStands(_ value: UInt32) -> Bool {
        (0xA1...0x2FF).contains(value) || (0x2010...0x2027).contains(value) || (0x2030...0x205E).contains(value)
            || (0x20A0...0x20C0).contains(value)
    }

    // MARK: - Entities and placeholders

    private static let maximumEntityNameLength = 10
    /// Entities browsers decode without their semicolon, which scrapers therefore leave so.
    private static let legacyWithoutSemicolon: Set<String> = ["amp", "quot", "apos", "nbsp", "lt", "gt"]
    /// How many stray spaces a broken entity may hold between its parts (`& # 39 ;`).
    private static let maximumSpacesInsideEntity = 2

    /// A decoded quotation mark from an entity, with the stray spaces to fix around it.
    private enum Mark { case none, entityQuote }

    private static func decodeEntities(_ input: [Unicode.Scalar]) -> ([Unicode.Scalar], Bool) {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(input.count)
        var changed = false
        var singleQuoteOpen = false
        var openQuoteIndex: Int?
        var doubleMarks = DoubleMarkCount()
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == "%", let end = placeholderEnd(input, at: i) {
                // Drop the placeholder and one space it leaves: prefer the one before it.
                if let last = out.last, last == " " {
                    out.removeLast()
                } else if end < input.count, input[end] == " " {
                    i = end + 1
                    changed = true
                    continue
                }
                i = end
                changed = true
                continue
            }
            var decoded: (value: [Unicode.Scalar], end: Int)?
            if c == "&" {
                decoded = entity(input, at: i)
            } else if c == "q" || c == ",", let end = bareQuot(input, at: i, previous: out.last) {
                // `,quot;` and `quot;` with no ampersand: the scraper ate the `&`.
                decoded = (["\""], end)
            }
            guard let (value, end) = decoded else {
                out.append(c)
                i += 1
                continue
            }
            changed = true
            i = end
            let single: Unicode.Scalar? = value.count == 1 ? value[0] : nil
            if single == "'" || single == "\u{2019}" || single == "\"" {
                placeQuote(value[0], into: &out, input: input, next: &i, singleQuoteOpen: &singleQuoteOpen, doubleMarks: &doubleMarks)
                if singleQuoteOpen, single != "\"" { openQuoteIndex = out.count - 1 }
            } else if value.count == 1, value[0].properties.isAlphabetic {
                // `Jos & eacute; arrived`, `& Eacute; mile`: a letter joins the word it belongs
                // to, the one before when it is lowercase, the one after when it is a capital.
                if value[0].properties.isLowercase {
                    while out.last == " ", out.count >= 2, out[out.count - 2].properties.isAlphabetic { out.removeLast() }
                    out.append(value[0])
                } else {
                    out.append(value[0])
                    while i < input.count, input[i] == " ", i + 1 < input.count, input[i + 1].properties.isAlphabetic { i += 1 }
                }
            } else if single == "\u{00A0}" {
                out.append(" ")
            } else {
                out.append(contentsOf: value)
            }
        }
        // An opening mark never closed after a plural (`the farmers ' union`) was a possessive.
        if singleQuoteOpen, let index = openQuoteIndex, index >= 2, out[index - 1] == " ", out[index - 2] == "s",
           index + 1 < out.count, out[index + 1].properties.isAlphabetic {
            let mark = out.remove(at: index)
            out.insert(mark, at: index - 1)
            out.insert(" ", at: index + 1)
            out.remove(at: index)
        }
        return (out, changed)
    }

    private static let placeholderTag = Array("%MINIFYHTML".unicodeScalars)
    private static let bareQuotWord = Array("quot;".unicodeScalars)

    /// `%MINIFYHTML<hex>%` or `%MINIFYHTML<hex>_<n>%`: returns the index after it.
    private static func placeholderEnd(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        let tag = placeholderTag
        guard start + tag.count < s.count, s[start..<(start + tag.count)].elementsEqual(tag) else { return nil }
        var i = start + tag.count
        let hexStart = i
        while i < s.count, s[i].properties.isASCIIHexDigit { i += 1 }
        guard i > hexStart else { return nil }
        if i < s.count, s[i] == "_" {
            i += 1
            while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
        }
        guard i < s.count, s[i] == "%" else { return nil }
        return i + 1
    }

    /// `&name;`, `&#39;`, `&#x27;`, with up to two stray spaces between the parts.
    private static func entity(_ s: [Unicode.Scalar], at start: Int) -> (value: [Unicode.Scalar], end: Int)? {
        var i = start + 1
        skipSpaces(s, &i)
        guard i < s.count else { return nil }
        var value: [Unicode.Scalar]
        if s[i] == "#" {
            i += 1
            skipSpaces(s, &i)
            var radix = 10
            if i < s.count, s[i] == "x" || s[i] == "X" {
                radix = 16
                i += 1
            }
            let digitsStart = i
            while i < s.count, radix == 16 ? s[i].properties.isASCIIHexDigit : ("0"..."9").contains(s[i]) { i += 1 }
            guard i > digitsStart, i - digitsStart <= 7,
                  let code = UInt32(Bytes.string(s[digitsStart..<i]), radix: radix) else { return nil }
            if let mapped = Knowledge.windows1252[code] {
                value = Array(mapped.unicodeScalars)
            } else if let scalar = Unicode.Scalar(code), code != 0 {
                value = [scalar]
            } else {
                // NUL, a surrogate or past U+10FFFF: a reference to nothing, dropped.
                value = []
            }
            var j = i
            skipSpaces(s, &j)
            // `&#39s`: a numeric reference ends at its last digit even without `;`.
            if j >= s.count || s[j] != ";" { return (value, i) }
        } else {
            let nameStart = i
            while i < s.count, i - nameStart < maximumEntityNameLength, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]),
                  s[i].isASCII { i += 1 }
            guard i > nameStart, let text = Knowledge.htmlEntities[Bytes.string(s[nameStart..<i])] else {
                return nil
            }
            value = Array(text.unicodeScalars)
        }
        let beforeSemicolon = i
        skipSpaces(s, &i)
        guard i < s.count, s[i] == ";" else {
            // HTML's legacy references may stand without `;` (`&quot`, `& amp`): only those,
            // and only before a space or punctuation, so `AT&T` and `&ampersand` stay.
            let name = Bytes.trimmingSpaces(Bytes.string(s[(start + 1)..<beforeSemicolon]))
            let next = beforeSemicolon < s.count ? s[beforeSemicolon] : " "
            guard legacyWithoutSemicolon.contains(name), !next.properties.isAlphabetic, !("0"..."9").contains(next) else { return nil }
            return (value, beforeSemicolon)
        }
        return (value, i + 1)
    }

    /// `,quot;` anywhere, or `quot;` at the start of the text or after a space.
    private static func bareQuot(_ s: [Unicode.Scalar], at start: Int, previous: Unicode.Scalar?) -> Int? {
        var i = start
        // Not after `&` or `;`: `&amp;quot;` is a double encoding, decoded a round later.
        if s[i] == "," { i += 1 } else if previous == "&" || previous == ";" { return nil }
        let word = bareQuotWord
        guard i + word.count <= s.count, s[i..<(i + word.count)].elementsEqual(word) else { return nil }
        return i + word.count
    }

    private static func skipSpaces(_ s: [Unicode.Scalar], _ i: inout Int) {
        var skipped = 0
        while i < s.count, s[i] == " ", skipped < maximumSpacesInsideEntity {
            i += 1
            skipped += 1
        }
    }

    /// Puts a quotation mark decoded from an entity in place, taking away the space the
    /// broken entity brought: an apostrophe joins both words (`Turkey's`), an opening mark
    /// joins the next word, a closing mark the previous one.
    private static func placeQuote(_ mark: Unicode.Scalar, into out: inout [Unicode.Scalar], input: [Unicode.Scalar],
                                   next i: inout Int, singleQuoteOpen: inout Bool, doubleMarks: inout DoubleMarkCount) {
        let letterBefore = out.last(where: { $0 != " " }).map { $0.properties.isAlphabetic || ("0"..."9").contains($0) } ?? false
        var j = i
        while j < input.count, input[j] == " " { j += 1 }
        func dropSpaceBefore() { while out.last == " " { out.removeLast() } }

        if mark != "\"", letterBefore, isContractionSuffix(input, at: j) {
            dropSpaceBefore()
            out.append(mark)
            i = j
            return
        }
        let opening: Bool
        let gluedToWordBefore = out.last.map { $0.properties.isAlphabetic || ".,!?".unicodeScalars.contains($0) } ?? false
        if mark == "\"", gluedToWordBefore {
            // `solutionquot; he said`: a mark right after a word closes.
            opening = false
        } else if mark == "\"" {
            opening = doubleMarks.count(in: out) % 2 == 0
        } else {
            opening = !singleQuoteOpen
            singleQuoteOpen.toggle()
        }
        if opening {
            out.append(mark)
            i = j
        } else {
            dropSpaceBefore()
            out.append(mark)
        }
    }

    /// How many double quotation marks the output holds, counted once each: the output only
    /// grows, or loses spaces at its end, so the count moves forward from where it stopped.
    private struct DoubleMarkCount {
        private var counted = 0
        private var marks = 0

        mutating func count(in out: [Unicode.Scalar]) -> Int {
            counted = min(counted, out.count)
            while counted < out.count {
                let c = out[counted]
                if c == "\"" || c == "\u{201C}" || c == "\u{201D}" { marks += 1 }
                counted += 1
            }
            return marks
        }
    }

    private static let contractionSuffixes: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "ll", "d", "m"].map { Array($0.unicodeScalars) }

    /// `s`, `t`, `re`, `ve`, `ll`, `d`, `m` as a whole word at `i`.
    private static func isContractionSuffix(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        contractionSuffixes.contains { suffix in
            guard i + suffix.count <= s.count, s[i..<(i + suffix.count)].elementsEqual(suffix) else { return false }
            let after = i + suffix.count
            return after == s.count || !(s[after].properties.isAlphabetic || ("0"..."9").contains(s[after]))
        }
    }

    // MARK: - Punctuation and spaces

    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\u{00A0}" || c == "\u{202F}" || c == "\u{2009}"
            || c == "\u{3000}"
    }

    private static func tidyPunctuationAndSpaces(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == "\u{FEFF}" {
                i += 1
                continue
            }
            if c == ".", isSpacedEllipsis(input, at: i) {
                // `. . .` is an ellipsis, not doubled punctuation.
                out.append(contentsOf: ["." as Unicode.Scalar, ".", "."])
                i += 5
                continue
            }
            if c == ".", i + 1 < input.count, input[i + 1] == ".", !(i + 2 < input.count && input[i + 2] == "."),
               out.last != "." {
                // `passed..`: two dots are one too many; three are an ellipsis.
                out.append(c)
                i += 2
                continue
            }
            if isSpace(c), out.last == "(" {
                i += 1
                continue
            }
            if isSpace(c) {
                // One space for any run; none before `,` or `;`, nor before a `.` `!` `?` `:`
                // that ends a word (not an ellipsis, not a number like `.5`).
                var j = i
                while j < input.count, isSpace(input[j]) { j += 1 }
                if j < input.count, !out.isEmpty, dropsSpaceBefore(input, at: j) {
                    i = j
                    continue
                }
                if !out.isEmpty && j < input.count { out.append(" ") }
                i = j
                continue
            }
            if c == "." || c == "," || c == ";" || c == "!" || c == "?", out.last != "." || c != ".", doubledAfter(input, at: i) {
                // `conflict. .` → `conflict.`: keep the first mark, skip the spaced copy.
                out.append(c)
                var j = i + 1
                while j < input.count, isSpace(input[j]) || input[j] == c { j += 1 }
                i = j
                if i < input.count { out.append(" ") }
                continue
            }
            out.append(c)
            i += 1
        }
        while let last = out.last, isSpace(last) { out.removeLast() }
        return out
    }

    private static func dropsSpaceBefore(_ s: [Unicode.Scalar], at j: Int) -> Bool {
        let c = s[j]
        if c == "," || c == ";" || c == ")" { return true }
        // `said : no` loses the space, `12 : 00` keeps it.
        if c == ":", j >= 1 {
            var k = j - 1
            while k >= 0, isSpace(s[k]) { k -= 1 }
            if k < 0 || !s[k].properties.isAlphabetic { return false }
        }
        guard c == "." || c == "!" || c == "?" || c == ":" else { return false }
        let next = j + 1 < s.count ? s[j + 1] : nil
        if c == ".", next == "." || isSpacedEllipsis(s, at: j) { return false }
        return next == nil || isSpace(next!) || next == "\"" || next == "'" || next == ")"
    }

    private static func isSpacedEllipsis(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        i + 4 < s.count && s[i + 1] == " " && s[i + 2] == "." && s[i + 3] == " " && s[i + 4] == "."
    }

    /// `X` followed by spaces and the same `X` (`. .`, `, ,`), not part of an ellipsis.
    private static func doubledAfter(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i + 1
        guard j < s.count, isSpace(s[j]) else { return false }
        while j < s.count, isSpace(s[j]) { j += 1 }
        guard j < s.count, s[j] == s[i] else { return false }
        return !(j + 1 < s.count && s[j + 1] == ".")
    }
}
