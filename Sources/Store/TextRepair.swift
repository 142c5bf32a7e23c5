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
    struct Output {
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

    static func scalar(_ out: [UInt8], before end: Int) -> UInt32 {
        out.withUnsafeBufferPointer { Bytes.scalar($0, before: end).value }
    }

    static func isAlphabetic(_ value: UInt32) -> Bool {
        if value < 0x80 { return Bytes.isASCIILetter(UInt8(value)) }
        return Unicode.Scalar(value)?.properties.isAlphabetic ?? false
    }

    static func isLowercase(_ value: UInt32) -> Bool {
        if value < 0x80 { return value >= 0x61 && value <= 0x7A }
        return Unicode.Scalar(value)?.properties.isLowercase ?? false
    }

    static func isAlphanumeric(_ value: UInt32) -> Bool {
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
}
