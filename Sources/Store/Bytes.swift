/// Small readers over a line's UTF-8 bytes, for the grammars that run on every line (stamps,
/// zone declarations). ASCII decides; a byte of a multi-byte character counts as a letter so
/// that a word never ends inside `Türkiye`.
enum Bytes {
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0x80 }
    static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func lowercased(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }

    /// The index of the first ASCII digit at or after `from` (`b.count` when none), read eight
    /// bytes at a time: a byte is a digit exactly when it XOR 0x30 is below 10, and a word
    /// holds a byte below 10 exactly when the borrow test sees one.
    static func nextDigit(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = b.baseAddress else { return b.count }
        var i = from
        while i + 8 <= b.count {
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ 0x3030_3030_3030_3030
            if (x &- 0x0A0A_0A0A_0A0A_0A0A) & ~x & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < b.count, !isDigit(b[i]) { i += 1 }
        return i
    }

    /// The index of the first byte at or after `from` that is `letter` (lowercase) once 0x20
    /// is or-ed in, as a capital is lowered (`b.count` when none), read eight bytes at a time.
    static func nextFolded(_ letter: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = b.baseAddress else { return b.count }
        var i = from
        let pattern = UInt64(letter) &* 0x0101_0101_0101_0101
        while i + 8 <= b.count {
            let x = (UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020) ^ pattern
            if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < b.count, b[i] | 0x20 != letter { i += 1 }
        return i
    }

    static func skipSpaces(_ b: [UInt8], _ at: Int) -> Int {
        var i = at
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        return i
    }

    static func skipPeriod(_ b: [UInt8], _ at: Int) -> Int {
        at < b.count && b[at] == UInt8(ascii: ".") ? at + 1 : at
    }

    /// The bytes between `start` and `end` without the spaces at either side.
    static func trimmed(_ b: [UInt8], _ start: Int, _ end: Int) -> ArraySlice<UInt8> {
        var s = start, e = end
        while s < e, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
        return b[s..<e]
    }

    /// The scalar whose encoding starts at `i` (valid UTF-8), and how many bytes it takes.
    @inline(__always)
    static func scalar(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, width: Int) {
        let c = s[i]
        if c < 0x80 { return (UInt32(c), 1) }
        if c < 0xE0 { return (UInt32(c & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F), 2) }
        if c < 0xF0 { return (UInt32(c & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F), 3) }
        return (UInt32(c & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6 | UInt32(s[i + 3] & 0x3F), 4)
    }

    /// The scalar whose encoding ends just before `end`, and where it starts.
    @inline(__always)
    static func scalar(_ s: UnsafeBufferPointer<UInt8>, before end: Int) -> (value: UInt32, start: Int) {
        var start = end - 1
        while start > 0, s[start] & 0xC0 == 0x80 { start -= 1 }
        return (scalar(s, at: start).value, start)
    }

    /// Whether a scalar is white space as Unicode says (`properties.isWhitespace`), ASCII told at once.
    static func isWhitespace(_ value: UInt32) -> Bool {
        if value < 0x80 { return value == 0x20 || value >= 0x09 && value <= 0x0D }
        return Unicode.Scalar(value)?.properties.isWhitespace ?? false
    }

    /// Scalars as a string, encoded straight to UTF-8 (appending to a scalar view is slow).
    static func string<Scalars: Collection<Unicode.Scalar>>(_ scalars: Scalars) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count + scalars.count / 2)
        for scalar in scalars { appendUTF8(scalar.value, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The UTF-8 bytes of the scalar `value`, appended.
    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        if value < 0x80 {
            out.append(UInt8(value))
        } else if value < 0x800 {
            out.append(UInt8(0xC0 | value >> 6))
            out.append(UInt8(0x80 | value & 0x3F))
        } else if value < 0x10000 {
            out.append(UInt8(0xE0 | value >> 12))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        } else {
            out.append(UInt8(0xF0 | value >> 18))
            out.append(UInt8(0x80 | value >> 12 & 0x3F))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// From `i`, the first index whose byte is below 0x40 or from 0x80 (or the end is near):
    /// eight bytes from 0x40 to 0x7F (letters mostly) are passed at once, and in a word that
    /// holds another byte the first such is gone to. The caller tests the byte at the result.
    @inline(__always)
    static func skipLettersAndUpperMarks(_ s: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        guard let base = s.baseAddress else { return i }
        var i = i
        while i + 8 <= s.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let outside = (word ^ 0x4040_4040_4040_4040) & 0xC0C0_C0C0_C0C0_C0C0
            if outside != 0 { return i + outside.trailingZeroBitCount / 8 }
            i += 8
        }
        return i
    }

    /// The text without the spaces and tabs (any Unicode space separator) at either end: what
    /// Foundation's `trimmingCharacters(in: .whitespaces)` gives, without bridging to NSString.
    static func trimmingSpaces(_ text: String) -> String {
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s == " " || s == "\t" || (s.value >= 0x80 && s.properties.generalCategory == .spaceSeparator)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }

    /// A decimal number of exactly `count` digits at `start`.
    static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= b.count else { return nil }
        var n = 0
        for i in start..<(start + count) {
            guard isDigit(b[i]) else { return nil }
            n = n * 10 + Int(b[i] - 0x30)
        }
        return n
    }

    /// A run of ASCII letters at `at`: the index after it and its text.
    static func word(_ b: [UInt8], _ at: Int) -> (Int, String)? {
        guard let end = wordEnd(b, at) else { return nil }
        return (end, String(decoding: b[at..<end], as: UTF8.self))
    }

    /// Where the run of ASCII letters at `at` ends, as `word` reads it, without its text.
    static func wordEnd<Text: RandomAccessCollection<UInt8>>(_ b: Text, _ at: Int) -> Int? where Text.Index == Int {
        var i = at
        while i < b.count, isASCIILetter(b[i]) { i += 1 }
        guard i > at, !continuesWord(b, i) else { return nil }
        return i
    }

    /// Whether the ASCII bytes `b[start..<end]`, lowercased, are a word of `table`.
    static func isWord(_ b: [UInt8], _ start: Int, _ end: Int, of table: WordTable) -> Bool {
        b.withUnsafeBufferPointer { table.value(ofLowering: UnsafeBufferPointer(rebasing: $0[start..<end])) != nil }
    }

    /// Whether the character at `i` is a letter, so a word before it does not end there
    /// (`GMT—` ends at the dash, `Türkiye` does not end at `T`).
    static func continuesWord<Text: RandomAccessCollection<UInt8>>(_ b: Text, _ i: Int) -> Bool where Text.Index == Int {
        guard i < b.endIndex else { return false }
        if b[i] < 0x80 { return isASCIILetter(b[i]) }
        var end = i + 1
        while end < b.endIndex, b[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: b[i..<end], as: UTF8.self).unicodeScalars.first?.properties.isAlphabetic ?? false
    }

    /// Whether `needle` stands at `at`; with `caseInsensitive`, `needle` is lowercase and the
    /// text's ASCII letters are folded.
    static func hasPrefix<Text: RandomAccessCollection<UInt8>>(_ b: Text, _ at: Int, _ needle: [UInt8],
                                                               caseInsensitive: Bool = true) -> Bool where Text.Index == Int {
        guard at >= b.startIndex, at + needle.count <= b.endIndex else { return false }
        for k in 0..<needle.count {
            let c = caseInsensitive ? lowercased(b[at + k]) : b[at + k]
            if c != needle[k] { return false }
        }
        return true
    }

    /// The first place of a lowercase `needle` at or after `from`, ignoring ASCII case.
    static func firstIndex(of needle: [UInt8], in b: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, b.count >= needle.count else { return nil }
        return b.withUnsafeBufferPointer { text in
            needle.withUnsafeBufferPointer { needle in
                var i = max(from, 0)
                while i + needle.count <= text.count {
                    if standsAt(text, i, needle) { return i }
                    i += 1
                }
                return nil
            }
        }
    }

    /// The last place of a lowercase `needle`, ignoring ASCII case.
    static func lastIndex(of needle: [UInt8], in b: [UInt8]) -> Int? {
        guard !needle.isEmpty, b.count >= needle.count else { return nil }
        return b.withUnsafeBufferPointer { text in
            needle.withUnsafeBufferPointer { needle in
                var i = text.count - needle.count
                while i >= 0 {
                    if standsAt(text, i, needle) { return i }
                    i -= 1
                }
                return nil
            }
        }
    }

    /// Whether the lowercase `needle` stands at `at` (which leaves room for it), ASCII case folded.
    @inline(__always)
    private static func standsAt(_ text: UnsafeBufferPointer<UInt8>, _ at: Int, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lowercased(text[at]) == needle[0] else { return false }
        var k = 1
        while k < needle.count, lowercased(text[at + k]) == needle[k] { k += 1 }
        return k == needle.count
    }

    /// Whether the text at `at` can start a title: a capital (any script) or a quotation mark.
    static func startsTitle(_ b: [UInt8], _ at: Int) -> Bool {
        guard at < b.count else { return false }
        if isUpper(b[at]) || b[at] == UInt8(ascii: "\"") || b[at] == UInt8(ascii: "'") { return true }
        guard b[at] >= 0x80 else { return false }
        var end = at + 1
        while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
        guard let scalar = String(decoding: b[at..<end], as: UTF8.self).unicodeScalars.first else { return false }
        return scalar.properties.isUppercase || "“‘«„".unicodeScalars.contains(scalar)
    }
}
