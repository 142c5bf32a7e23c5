import Foundation

/// Text repair's entity stage: HTML entities (`&quot;`, `& # 39;`, `,quot;`) and
/// placeholders (`%MINIFYHTML…%`) decoded on the UTF-8 bytes, and quotes put back in place.
extension TextRepair {

    static let maximumEntityNameLength = 10
    /// Entities browsers decode without their semicolon, which scrapers therefore leave so.
    static let legacyWithoutSemicolon = WordTable(["amp", "quot", "apos", "nbsp", "lt", "gt"])
    /// How many stray spaces a broken entity may hold between its parts (`& # 39 ;`).
    static let maximumSpacesInsideEntity = 2

    /// What a reference stands for: its text, and its scalar when it is one.
    struct Reference {
        var text: String
        var single: UInt32?

        init(_ text: String) {
            self.text = text
            let scalars = text.unicodeScalars
            single = scalars.count == 1 ? scalars.first!.value : nil
        }
    }

    static let entityNames = Array(Knowledge.htmlEntities.keys)
    static let entityNameTable = WordTable(entityNames)
    static let entityReferences = entityNames.map { Reference(Knowledge.htmlEntities[$0]!) }
    static let windows1252References = Knowledge.windows1252.mapValues(Reference.init)

    static func decodeEntities(_ input: UnsafeBufferPointer<UInt8>) -> ([UInt8]?, Bool) {
        decodeNeedsALook.withUnsafeBufferPointer { decodeEntities(input, lookingAt: $0) }
    }

    static func decodeEntities(_ input: UnsafeBufferPointer<UInt8>, lookingAt decodeNeedsALook: UnsafeBufferPointer<Bool>)
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
    static let decodeNeedsALook: [Bool] = (0..<256).map { [0x25, 0x26, 0x71, 0x2C].contains($0) }

    static let placeholderTag = Array("%MINIFYHTML".utf8)
    static let bareQuotWord = Array("quot;".utf8)

    static func isHexDigit(_ c: UInt8) -> Bool { Bytes.isDigit(c) || (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 }

    /// `%MINIFYHTML<hex>%` or `%MINIFYHTML<hex>_<n>%`: returns the index after it.
    static func placeholderEnd(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
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
    static func entity(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> (value: Reference, end: Int)? {
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
    static func bareQuot(_ s: UnsafeBufferPointer<UInt8>, at start: Int, previous: UInt8?) -> Int? {
        var i = start
        // Not after `&` or `;`: `&amp;quot;` is a double encoding, decoded a round later.
        if s[i] == 0x2C { i += 1 } else if previous == 0x26 || previous == 0x3B { return nil }
        guard Bytes.hasPrefix(s, i, bareQuotWord, caseInsensitive: false) else { return nil }
        return i + bareQuotWord.count
    }

    static func skipSpaces(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        var skipped = 0
        while i < s.count, s[i] == 0x20, skipped < maximumSpacesInsideEntity {
            i += 1
            skipped += 1
        }
    }

    /// Puts a quotation mark decoded from an entity in place, taking away the space the
    /// broken entity brought: an apostrophe joins both words (`Turkey's`), an opening mark
    /// joins the next word, a closing mark the previous one.
    static func placeQuote(_ mark: UInt32, into out: inout [UInt8], input: UnsafeBufferPointer<UInt8>,
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
    struct DoubleMarkCount {
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

    static let contractionSuffixes: [[UInt8]] = ["s", "t", "re", "ve", "ll", "d", "m"].map { Array($0.utf8) }

    /// `s`, `t`, `re`, `ve`, `ll`, `d`, `m` as a whole word at `i`.
    static func isContractionSuffix(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        contractionSuffixes.contains { suffix in
            guard Bytes.hasPrefix(s, i, suffix, caseInsensitive: false) else { return false }
            let after = i + suffix.count
            return after == s.count || !isAlphanumeric(Bytes.scalar(s, at: after).value)
        }
    }
}
