import Foundation

/// Text repair's last stage: spaces and punctuation tidied on the UTF-8 bytes.
extension TextRepair {

    /// How many bytes the space at `i` takes (space, tab, CR, LF, no-break, narrow no-break,
    /// thin, ideographic), 0 when none starts there.
    @inline(__always)
    static func spaceWidth(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        guard i < s.count else { return 0 }
        switch s[i] {
        case 0x20, 0x09, 0x0D, 0x0A: return 1
        case 0xC2: return i + 1 < s.count && s[i + 1] == 0xA0 ? 2 : 0
        case 0xE2: return i + 2 < s.count && s[i + 1] == 0x80 && (s[i + 2] == 0xAF || s[i + 2] == 0x89) ? 3 : 0
        case 0xE3: return i + 2 < s.count && s[i + 1] == 0x80 && s[i + 2] == 0x80 ? 3 : 0
        default: return 0
        }
    }

    static func isSpace(_ value: UInt32) -> Bool {
        value == 0x20 || value == 0x09 || value == 0x0D || value == 0x0A || value == 0xA0 || value == 0x202F || value == 0x2009
            || value == 0x3000
    }

    /// The bytes `tidyPunctuationAndSpaces` looks at: the first bytes of U+FEFF and of every
    /// space it knows, and `.` `,` `;` `!` `?`.
    static let tidyNeedsALook: [Bool] = (0..<256).map {
        [0xEF, 0x20, 0x09, 0x0D, 0x0A, 0xC2, 0xE2, 0xE3, 0x2E, 0x2C, 0x3B, 0x21, 0x3F].contains($0)
    }

    static func isMark(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ".") || c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?")
    }

    static func tidyPunctuationAndSpaces(_ input: UnsafeBufferPointer<UInt8>, into out: inout Output) {
        tidyNeedsALook.withUnsafeBufferPointer { tidyPunctuationAndSpaces(input, into: &out, lookingAt: $0) }
    }

    static func tidyPunctuationAndSpaces(_ input: UnsafeBufferPointer<UInt8>, into out: inout Output,
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

    static func dropsSpaceBefore(_ s: UnsafeBufferPointer<UInt8>, at j: Int) -> Bool {
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

    static func isSpacedEllipsis(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        i + 4 < s.count && s[i + 1] == 0x20 && s[i + 2] == UInt8(ascii: ".") && s[i + 3] == 0x20 && s[i + 4] == UInt8(ascii: ".")
    }

    /// `X` followed by spaces and the same `X` (`. .`, `, ,`), not part of an ellipsis.
    static func doubledAfter(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        var j = i + 1
        guard spaceWidth(s, j) > 0 else { return false }
        while case let w = spaceWidth(s, j), w > 0 { j += w }
        guard j < s.count, s[j] == s[i] else { return false }
        return !(j + 1 < s.count && s[j + 1] == UInt8(ascii: "."))
    }
}
