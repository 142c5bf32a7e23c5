import Foundation

/// Repairs the debris scraping and machine translation leave in a paragraph, and nothing else.
///
/// One pass over the UTF-8 bytes decodes entities in any broken spacing, drops minifier
/// placeholders, and remembers which quotation marks came from a broken entity, because those
/// brought a stray space with them; a second pass tidies punctuation and spacing. Correct
/// text (`AT&T`, `#hashtag`, `…`, `...`) has nothing these passes match. The passes read the
/// bytes as the scalars they encode: every test is of an ASCII byte, or of the scalar that
/// starts (or ends) at a position, so a multi-byte character is never split.
public enum TextRepair {
    /// A clean paragraph: entities decoded, placeholders gone, punctuation and spaces tidy, NFC.
    public static func repair(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in isClean(bytes) ? nil : repairBytes(bytes) } ?? text
    }

    /// A line's bytes (valid UTF-8) repaired: a clean line is only copied.
    static func repair(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        isClean(bytes) ? String(decoding: bytes, as: UTF8.self) : repairBytes(bytes)
    }

    private static func repairBytes(_ input: UnsafeBufferPointer<UInt8>) -> String {
        var bytes: [UInt8]?
        // Double encoding (`&amp;quot;`) needs a second round; a third catches triple. A round
        // finds something only where an entity (`&`), a bare `quot;` or a placeholder (`%`) is
        // (left): text that is only mis-spaced skips them all.
        for _ in 0..<3 {
            let (decoded, changed) = withBytes(bytes, input) { s -> ([UInt8]?, Bool) in
                guard mayHoldAnEntity(s) else { return (nil, false) }
                return decodeEntities(s)
            }
            if let decoded { bytes = decoded }
            if !changed { break }
        }
        // The tidy pass never writes more bytes than it reads: it writes into the string's storage.
        var composed = true
        let text = withBytes(bytes, input) { s in
            String(unsafeUninitializedCapacity: max(s.count, 1)) { buffer in
                var out = Output(buffer)
                tidyPunctuationAndSpaces(s, into: &out)
                composed = isComposedAsItStands(UnsafeBufferPointer(rebasing: buffer[..<out.count]))
                return out.count
            }
        }
        // Only text with characters outside the ranges that are NFC as they stand needs composing.
        return composed ? text : composingWhereNeeded(text)
    }

    /// The text in NFC, composed by Foundation only from the ASCII character before the first
    /// character that is not NFC as it stands to the ASCII character after the last: ASCII
    /// never composes with what precedes it, so the text splits there, and outside that span
    /// every character is NFC as it stands.
    private static func composingWhereNeeded(_ text: String) -> String {
        var text = text
        let span = text.withUTF8 { b -> Range<Int> in
            var first: Int?, last = 0
            var i = 0
            while i < b.count {
                guard b[i] >= 0x80 else {
                    i += 1
                    continue
                }
                let (value, width) = Bytes.scalar(b, at: i)
                if !isComposedAsItStands(value) {
                    if first == nil { first = i }
                    last = i + width
                }
                i += width
            }
            // Back over every character beyond ASCII (one may compose with a mark after it),
            // then the ASCII character itself (a letter composes with a mark after it).
            var start = first ?? 0
            while start > 0, b[start - 1] >= 0x80 { start -= 1 }
            if start > 0 { start -= 1 }
            var end = last
            while end < b.count, b[end] >= 0x80 { end += 1 }
            return start..<end
        }
        let utf8 = text.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: span.lowerBound), to = utf8.index(utf8.startIndex, offsetBy: span.upperBound)
        return String(text[..<from]) + String(text[from..<to]).precomposedStringWithCanonicalMapping + String(text[to...])
    }

    /// Bytes written into storage of a fixed size, which the writer must not outgrow.
    private struct Output {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        private(set) var count = 0

        init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

        var last: UInt8? { count > 0 ? buffer[count - 1] : nil }
        var isEmpty: Bool { count == 0 }

        @inline(__always)
        mutating func append(_ byte: UInt8) {
            precondition(count < buffer.count)
            buffer[count] = byte
            count += 1
        }

        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            precondition(count + bytes.count <= buffer.count)
            for byte in bytes {
                buffer[count] = byte
                count += 1
            }
        }

        mutating func removeLast() { count -= 1 }
    }

    /// Whether `&`, `;` or `%` occurs. All three are below 0x40: eight bytes from 0x40 to
    /// 0x7F are passed at once, and a word holding others is read from its first such byte.
    private static func mayHoldAnEntity(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < s.count {
            i = Bytes.skipLettersAndUpperMarks(s, from: i)
            guard i < s.count else { break }
            let c = s[i]
            if c == 0x26 || c == 0x3B || c == 0x25 { return true }
            i += 1
        }
        return false
    }

    /// `body` over the latest round's bytes, or the input's before any.
    @inline(__always)
    private static func withBytes<R>(_ bytes: [UInt8]?, _ input: UnsafeBufferPointer<UInt8>,
                                     _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard let bytes else { return body(input) }
        return bytes.withUnsafeBufferPointer(body)
    }

    // MARK: - Scalars on the bytes

    private static func scalar(_ out: [UInt8], before end: Int) -> UInt32 {
        out.withUnsafeBufferPointer { Bytes.scalar($0, before: end).value }
    }

    private static func isAlphabetic(_ value: UInt32) -> Bool {
        if value < 0x80 { return Bytes.isASCIILetter(UInt8(value)) }
        return Unicode.Scalar(value)?.properties.isAlphabetic ?? false
    }

    private static func isLowercase(_ value: UInt32) -> Bool {
        if value < 0x80 { return value >= 0x61 && value <= 0x7A }
        return Unicode.Scalar(value)?.properties.isLowercase ?? false
    }

    private static func isAlphanumeric(_ value: UInt32) -> Bool {
        isAlphabetic(value) || value >= 0x30 && value <= 0x39
    }

    /// Whether every character is NFC whatever surrounds it.
    private static func isComposedAsItStands(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < s.count {
            if s[i] < 0x80 {
                i += 1
                continue
            }
            let (value, width) = Bytes.scalar(s, at: i)
            guard isComposedAsItStands(value) else { return false }
            i += width
        }
        return true
    }

    // MARK: - Text that needs nothing

    /// Whether one pass over the bytes shows nothing either pass would change: no `&`, `%` or
    /// `;` (entities, placeholders, a bare `quot;`), no space that is doubled, leading,
    /// trailing or before punctuation, no `( `, `..` or spaced doubled mark, no tab or line
    /// end, and only characters that are NFC as they stand. Most paragraphs of real pages are
    /// like this, so the scalar passes run on the few that are not.
    private static func isClean(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        // The table is read through a buffer made once per call: no lazy-global check or
        // bounds check per byte.
        cleanNeedsALook.withUnsafeBufferPointer { isClean(b, lookingAt: $0) }
    }

    private static func isClean(_ b: UnsafeBufferPointer<UInt8>, lookingAt cleanNeedsALook: UnsafeBufferPointer<Bool>) -> Bool {
        let cleanSpaceMustNotPrecede = Self.cleanSpaceMustNotPrecede
        guard let first = b.first, first != 0x20, b[b.count - 1] != 0x20 else { return b.isEmpty }
        var i = 0
        while i < b.count {
            // Every byte looked at is below 0x40 or from 0x80: the letters between are passed at once.
            i = Bytes.skipLettersAndUpperMarks(b, from: i)
            guard i < b.count else { break }
            let c = b[i]
            // Digits and most marks ask nothing: skipped by one table look-up.
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
    private static let legacyWithoutSemicolon = WordTable(["amp", "quot", "apos", "nbsp", "lt", "gt"])
    /// How many stray spaces a broken entity may hold between its parts (`& # 39 ;`).
    private static let maximumSpacesInsideEntity = 2

    /// What a reference stands for: its text, and its scalar when it is one.
    private struct Reference {
        var text: String
        var single: UInt32?

        init(_ text: String) {
            self.text = text
            let scalars = text.unicodeScalars
            single = scalars.count == 1 ? scalars.first!.value : nil
        }
    }

    private static let entityNames = Array(Knowledge.htmlEntities.keys)
    private static let entityNameTable = WordTable(entityNames)
    private static let entityReferences = entityNames.map { Reference(Knowledge.htmlEntities[$0]!) }
    private static let windows1252References = Knowledge.windows1252.mapValues(Reference.init)

    private static func decodeEntities(_ input: UnsafeBufferPointer<UInt8>) -> ([UInt8]?, Bool) {
        decodeNeedsALook.withUnsafeBufferPointer { decodeEntities(input, lookingAt: $0) }
    }

    private static func decodeEntities(_ input: UnsafeBufferPointer<UInt8>, lookingAt decodeNeedsALook: UnsafeBufferPointer<Bool>)
        -> ([UInt8]?, Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var changed = false
        var singleQuoteOpen = false
        var openQuoteIndex: Int?
        var doubleMarks = DoubleMarkCount()
        var i = 0
        let n = input.count
        while i < n {
            let c = input[i]
            // Only `%`, `&`, `q` and `,` start what this pass changes: the rest is copied in runs.
            if !decodeNeedsALook[Int(c)] {
                var j = i + 1
                while j < n, !decodeNeedsALook[Int(input[j])] { j += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<j]))
                i = j
                continue
            }
            if c == 0x25, let end = placeholderEnd(input, at: i) {
                // Drop the placeholder and one space it leaves: prefer the one before it.
                if let last = out.last, last == 0x20 {
                    out.removeLast()
                } else if end < n, input[end] == 0x20 {
                    i = end + 1
                    changed = true
                    continue
                }
                i = end
                changed = true
                continue
            }
            var decoded: (value: Reference, end: Int)?
            if c == 0x26 {
                decoded = entity(input, at: i)
            } else if c == UInt8(ascii: "q") || c == 0x2C, let end = bareQuot(input, at: i, previous: out.last) {
                // `,quot;` and `quot;` with no ampersand: the scraper ate the `&`.
                decoded = (Reference("\""), end)
            }
            guard let (value, end) = decoded else {
                out.append(c)
                i += 1
                continue
            }
            changed = true
            i = end
            let single = value.single
            if single == 0x27 || single == 0x2019 || single == 0x22 {
                placeQuote(single!, into: &out, input: input, next: &i, singleQuoteOpen: &singleQuoteOpen, doubleMarks: &doubleMarks)
                if singleQuoteOpen, single != 0x22 { openQuoteIndex = out.count - (single == 0x27 ? 1 : 3) }
            } else if let letter = single, isAlphabetic(letter) {
                // `Jos & eacute; arrived`, `& Eacute; mile`: a letter joins the word it belongs
                // to, the one before when it is lowercase, the one after when it is a capital.
                if isLowercase(letter) {
                    while out.last == 0x20, out.count >= 2, isAlphabetic(scalar(out, before: out.count - 1)) { out.removeLast() }
                    Bytes.appendUTF8(letter, to: &out)
                } else {
                    Bytes.appendUTF8(letter, to: &out)
                    while i < n, input[i] == 0x20, i + 1 < n, isAlphabetic(Bytes.scalar(input, at: i + 1).value) { i += 1 }
                }
            } else if single == 0xA0 {
                out.append(0x20)
            } else {
                out.append(contentsOf: value.text.utf8)
            }
        }
        // An opening mark never closed after a plural (`the farmers ' union`) was a possessive:
        // the mark and the space before it change places.
        if singleQuoteOpen, let index = openQuoteIndex, index >= 2, out[index - 1] == 0x20, out[index - 2] == UInt8(ascii: "s") {
            let width = out[index] == 0x27 ? 1 : 3
            if index + width < out.count, out.withUnsafeBufferPointer({ isAlphabetic(Bytes.scalar($0, at: index + width).value) }) {
                let mark = Array(out[index..<(index + width)])
                out.replaceSubrange((index - 1)..<(index + width), with: mark + [0x20])
            }
        }
        return (out, changed)
    }

    /// The bytes `decodeEntities` looks at: `%`, `&`, `q`, `,`.
    private static let decodeNeedsALook: [Bool] = (0..<256).map { [0x25, 0x26, 0x71, 0x2C].contains($0) }

    private static let placeholderTag = Array("%MINIFYHTML".utf8)
    private static let bareQuotWord = Array("quot;".utf8)

    private static func isHexDigit(_ c: UInt8) -> Bool { Bytes.isDigit(c) || (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 }

    /// `%MINIFYHTML<hex>%` or `%MINIFYHTML<hex>_<n>%`: returns the index after it.
    private static func placeholderEnd(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        let tag = placeholderTag
        guard start + tag.count < s.count, Bytes.hasPrefix(s, start, tag, caseInsensitive: false) else { return nil }
        var i = start + tag.count
        let hexStart = i
        while i < s.count, isHexDigit(s[i]) { i += 1 }
        guard i > hexStart else { return nil }
        if i < s.count, s[i] == UInt8(ascii: "_") {
            i += 1
            while i < s.count, Bytes.isDigit(s[i]) { i += 1 }
        }
        guard i < s.count, s[i] == 0x25 else { return nil }
        return i + 1
    }

    /// `&name;`, `&#39;`, `&#x27;`, with up to two stray spaces between the parts.
    private static func entity(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> (value: Reference, end: Int)? {
        var i = start + 1
        skipSpaces(s, &i)
        guard i < s.count else { return nil }
        let value: Reference
        if s[i] == UInt8(ascii: "#") {
            i += 1
            skipSpaces(s, &i)
            var radix: UInt32 = 10
            if i < s.count, s[i] == UInt8(ascii: "x") || s[i] == UInt8(ascii: "X") {
                radix = 16
                i += 1
            }
            let digitsStart = i
            var code: UInt32 = 0
            // Eight digits are already too many: the run is not read further.
            while i < s.count, i - digitsStart <= 7, radix == 16 ? isHexDigit(s[i]) : Bytes.isDigit(s[i]) {
                let c = s[i]
                code = code * radix + UInt32(Bytes.isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10)
                i += 1
            }
            guard i > digitsStart, i - digitsStart <= 7, i == s.count || !(radix == 16 ? isHexDigit(s[i]) : Bytes.isDigit(s[i]))
            else { return nil }
            if let mapped = windows1252References[code] {
                value = mapped
            } else if let scalar = Unicode.Scalar(code), code != 0 {
                value = Reference(String(scalar))
            } else {
                // NUL, a surrogate or past U+10FFFF: a reference to nothing, dropped.
                value = Reference("")
            }
            var j = i
            skipSpaces(s, &j)
            // `&#39s`: a numeric reference ends at its last digit even without `;`.
            if j >= s.count || s[j] != 0x3B { return (value, i) }
        } else {
            let nameStart = i
            while i < s.count, i - nameStart < maximumEntityNameLength, Bytes.isASCIILetter(s[i]) || Bytes.isDigit(s[i]) { i += 1 }
            guard i > nameStart, let index = entityNameTable.value(of: UnsafeBufferPointer(rebasing: s[nameStart..<i])) else {
                return nil
            }
            value = entityReferences[index]
        }
        let beforeSemicolon = i
        skipSpaces(s, &i)
        guard i < s.count, s[i] == 0x3B else {
            // HTML's legacy references may stand without `;` (`&quot`, `& amp`): only those,
            // and only before a space or punctuation, so `AT&T` and `&ampersand` stay.
            var nameStart = start + 1
            while nameStart < beforeSemicolon, s[nameStart] == 0x20 { nameStart += 1 }
            guard legacyWithoutSemicolon.value(of: UnsafeBufferPointer(rebasing: s[nameStart..<beforeSemicolon])) != nil,
                  beforeSemicolon >= s.count || !isAlphanumeric(Bytes.scalar(s, at: beforeSemicolon).value) else { return nil }
            return (value, beforeSemicolon)
        }
        return (value, i + 1)
    }

    /// `,quot;` anywhere, or `quot;` at the start of the text or after a space.
    private static func bareQuot(_ s: UnsafeBufferPointer<UInt8>, at start: Int, previous: UInt8?) -> Int? {
        var i = start
        // Not after `&` or `;`: `&amp;quot;` is a double encoding, decoded a round later.
        if s[i] == 0x2C { i += 1 } else if previous == 0x26 || previous == 0x3B { return nil }
        guard Bytes.hasPrefix(s, i, bareQuotWord, caseInsensitive: false) else { return nil }
        return i + bareQuotWord.count
    }

    private static func skipSpaces(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        var skipped = 0
        while i < s.count, s[i] == 0x20, skipped < maximumSpacesInsideEntity {
            i += 1
            skipped += 1
        }
    }

    /// Puts a quotation mark decoded from an entity in place, taking away the space the
    /// broken entity brought: an apostrophe joins both words (`Turkey's`), an opening mark
    /// joins the next word, a closing mark the previous one.
    private static func placeQuote(_ mark: UInt32, into out: inout [UInt8], input: UnsafeBufferPointer<UInt8>,
                                   next i: inout Int, singleQuoteOpen: inout Bool, doubleMarks: inout DoubleMarkCount) {
        var k = out.count
        while k > 0, out[k - 1] == 0x20 { k -= 1 }
        let letterBefore = k > 0 && isAlphanumeric(scalar(out, before: k))
        var j = i
        while j < input.count, input[j] == 0x20 { j += 1 }
        func dropSpaceBefore() { while out.last == 0x20 { out.removeLast() } }

        if mark != 0x22, letterBefore, isContractionSuffix(input, at: j) {
            dropSpaceBefore()
            Bytes.appendUTF8(mark, to: &out)
            i = j
            return
        }
        let opening: Bool
        let gluedToWordBefore = out.last.map { last in
            last == UInt8(ascii: ".") || last == UInt8(ascii: ",") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?")
                || isAlphabetic(scalar(out, before: out.count))
        } ?? false
        if mark == 0x22, gluedToWordBefore {
            // `solutionquot; he said`: a mark right after a word closes.
            opening = false
        } else if mark == 0x22 {
            opening = doubleMarks.count(in: out) % 2 == 0
        } else {
            opening = !singleQuoteOpen
            singleQuoteOpen.toggle()
        }
        if opening {
            Bytes.appendUTF8(mark, to: &out)
            i = j
        } else {
            dropSpaceBefore()
            Bytes.appendUTF8(mark, to: &out)
        }
    }

    /// How many double quotation marks (`"`, U+201C, U+201D) the output holds, counted once
    /// each: the output only grows, or loses spaces at its end, so the count moves forward
    /// from where it stopped. A curly mark is counted at its last byte.
    private struct DoubleMarkCount {
        private var counted = 0
        private var marks = 0

        mutating func count(in out: [UInt8]) -> Int {
            counted = min(counted, out.count)
            while counted < out.count {
                let c = out[counted]
                if c == 0x22 || (c == 0x9C || c == 0x9D) && counted >= 2 && out[counted - 1] == 0x80 && out[counted - 2] == 0xE2 {
                    marks += 1
                }
                counted += 1
            }
            return marks
        }
    }

    private static let contractionSuffixes: [[UInt8]] = ["s", "t", "re", "ve", "ll", "d", "m"].map { Array($0.utf8) }

    /// `s`, `t`, `re`, `ve`, `ll`, `d`, `m` as a whole word at `i`.
    private static func isContractionSuffix(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        contractionSuffixes.contains { suffix in
            guard Bytes.hasPrefix(s, i, suffix, caseInsensitive: false) else { return false }
            let after = i + suffix.count
            return after == s.count || !isAlphanumeric(Bytes.scalar(s, at: after).value)
        }
    }

    // MARK: - Punctuation and spaces

    /// How many bytes the space at `i` takes (space, tab, CR, LF, no-break, narrow no-break,
    /// thin, ideographic), 0 when none starts there.
    @inline(__always)
    private static func spaceWidth(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        guard i < s.count else { return 0 }
        switch s[i] {
        case 0x20, 0x09, 0x0D, 0x0A: return 1
        case 0xC2: return i + 1 < s.count && s[i + 1] == 0xA0 ? 2 : 0
        case 0xE2: return i + 2 < s.count && s[i + 1] == 0x80 && (s[i + 2] == 0xAF || s[i + 2] == 0x89) ? 3 : 0
        case 0xE3: return i + 2 < s.count && s[i + 1] == 0x80 && s[i + 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    private static func isSpace(_ value: UInt32) -> Bool {
        value == 0x20 || value == 0x09 || value == 0x0D || value == 0x0A || value == 0xA0 || value == 0x202F || value == 0x2009
            || value == 0x3000
    }

    /// The bytes `tidyPunctuationAndSpaces` looks at: the first bytes of U+FEFF and of every
    /// space it knows, and `.` `,` `;` `!` `?`.
    private static let tidyNeedsALook: [Bool] = (0..<256).map {
        [0xEF, 0x20, 0x09, 0x0D, 0x0A, 0xC2, 0xE2, 0xE3, 0x2E, 0x2C, 0x3B, 0x21, 0x3F].contains($0)
    }

    private static func isMark(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ".") || c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?")
    }

    private static func tidyPunctuationAndSpaces(_ input: UnsafeBufferPointer<UInt8>, into out: inout Output) {
        tidyNeedsALook.withUnsafeBufferPointer { tidyPunctuationAndSpaces(input, into: &out, lookingAt: $0) }
    }

    private static func tidyPunctuationAndSpaces(_ input: UnsafeBufferPointer<UInt8>, into out: inout Output,
                                                 lookingAt tidyNeedsALook: UnsafeBufferPointer<Bool>) {
        let n = input.count
        let dot = UInt8(ascii: ".")
        var i = 0
        while i < n {
            let c = input[i]
            // Most bytes start nothing this pass changes (a byte-order mark, a dot, a space, a
            // mark): copied at once. A multi-byte character's other bytes are never such a byte.
            if !tidyNeedsALook[Int(c)] {
                out.append(c)
                i += 1
                continue
            }
            if c == 0xEF, i + 2 < n, input[i + 1] == 0xBB, input[i + 2] == 0xBF {
                // U+FEFF, a byte-order mark inside the text.
                i += 3
                continue
            }
            if c == dot, isSpacedEllipsis(input, at: i) {
                // `. . .` is an ellipsis, not doubled punctuation.
                out.append(dot)
                out.append(dot)
                out.append(dot)
                i += 5
                continue
            }
            if c == dot, i + 1 < n, input[i + 1] == dot, !(i + 2 < n && input[i + 2] == dot), out.last != dot {
                // `passed..`: two dots are one too many; three are an ellipsis.
                out.append(c)
                i += 2
                continue
            }
            let width = spaceWidth(input, i)
            if width > 0, out.last == UInt8(ascii: "(") {
                i += width
                continue
            }
            if width > 0 {
                // One space for any run; none before `,` or `;`, nor before a `.` `!` `?` `:`
                // that ends a word (not an ellipsis, not a number like `.5`).
                var j = i + width
                while case let w = spaceWidth(input, j), w > 0 { j += w }
                if j < n, !out.isEmpty, dropsSpaceBefore(input, at: j) {
                    i = j
                    continue
                }
                if !out.isEmpty && j < n { out.append(0x20) }
                i = j
                continue
            }
            if isMark(c), out.last != dot || c != dot, doubledAfter(input, at: i) {
                // `conflict. .` → `conflict.`: keep the first mark, skip the spaced copy.
                out.append(c)
                var j = i + 1
                while j < n {
                    let w = spaceWidth(input, j)
                    if w > 0 {
                        j += w
                    } else if input[j] == c {
                        j += 1
                    } else {
                        break
                    }
                }
                i = j
                if i < n { out.append(0x20) }
                continue
            }
            if c < 0x80 {
                out.append(c)
                i += 1
            } else {
                let end = i + Bytes.scalar(input, at: i).width
                out.append(UnsafeBufferPointer(rebasing: input[i..<end]))
                i = end
            }
        }
        while out.last == 0x20 { out.removeLast() }
    }

    private static func dropsSpaceBefore(_ s: UnsafeBufferPointer<UInt8>, at j: Int) -> Bool {
        let c = s[j]
        if c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: ")") { return true }
        // `said : no` loses the space, `12 : 00` keeps it.
        if c == UInt8(ascii: ":"), j >= 1 {
            var end = j
            while true {
                if end == 0 { return false }
                let (value, start) = Bytes.scalar(s, before: end)
                if isSpace(value) {
                    end = start
                    continue
                }
                if !isAlphabetic(value) { return false }
                break
            }
        }
        guard c == UInt8(ascii: ".") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":") else { return false }
        let hasNext = j + 1 < s.count
        if c == UInt8(ascii: "."), hasNext && s[j + 1] == UInt8(ascii: ".") || isSpacedEllipsis(s, at: j) { return false }
        guard hasNext else { return true }
        let next = s[j + 1]
        return spaceWidth(s, j + 1) > 0 || next == UInt8(ascii: "\"") || next == UInt8(ascii: "'") || next == UInt8(ascii: ")")
    }

    private static func isSpacedEllipsis(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        i + 4 < s.count && s[i + 1] == 0x20 && s[i + 2] == UInt8(ascii: ".") && s[i + 3] == 0x20 && s[i + 4] == UInt8(ascii: ".")
    }

    /// `X` followed by spaces and the same `X` (`. .`, `, ,`), not part of an ellipsis.
    private static func doubledAfter(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        var j = i + 1
        guard spaceWidth(s, j) > 0 else { return false }
        while case let w = spaceWidth(s, j), w > 0 { j += w }
        guard j < s.count, s[j] == s[i] else { return false }
        return !(j + 1 < s.count && s[j + 1] == UInt8(ascii: "."))
    }
}
