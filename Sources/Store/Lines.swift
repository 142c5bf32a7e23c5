/// The lines of an article file, split on its UTF-8 bytes: `\n`, `\r\n`, a lone `\r`, and the
/// other line ends Unicode names (VT, FF, NEL, U+2028, U+2029), so that line numbers in
/// warnings match what an editor shows. A leading byte-order mark is not content.
enum Lines {
    static func split(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in ranges(bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) } }
    }

    /// The byte ranges of the lines, line ends excluded: the text is read once and no line
    /// is copied, so a caller makes a string only of the lines it keeps.
    static func ranges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        guard let base = bytes.baseAddress else { return [0..<0] }
        let n = bytes.count
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var i = start
        while i < n {
            // Eight bytes at a time: most words of text hold no byte that can start a line
            // end (below 0x0E, 0xC2 for NEL, 0xE2 for U+2028 and U+2029).
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if !mayStartALineEnd(word) {
                    i += 8
                    continue
                }
            }
            let blockEnd = min(i + 8, n)
            while i < blockEnd {
                let width = lineEndWidth(bytes, i)
                if width > 0 {
                    lines.append(start..<i)
                    i += width
                    start = i
                } else {
                    i += 1
                }
            }
        }
        lines.append(start..<max(start, n))
        return lines
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of the eight is below 0x0E, or 0xC2, or 0xE2 (exact: the tests for a
    /// zero byte and for a byte below n ≤ 0x80 have no false negatives, and false positives
    /// only cost the byte loop).
    @inline(__always)
    private static func mayStartALineEnd(_ x: UInt64) -> Bool {
        let below0E = (x &- 0x0E * ones) & ~x & highs
        let c2 = x ^ (0xC2 * ones), e2 = x ^ (0xE2 * ones)
        let isC2 = (c2 &- ones) & ~c2 & highs
        let isE2 = (e2 &- ones) & ~e2 & highs
        return below0E | isC2 | isE2 != 0
    }

    /// How many bytes the line end at `i` takes, 0 when none starts there.
    @inline(__always)
    private static func lineEndWidth(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = bytes[i]
        guard c <= 0x0D || c == 0xC2 || c == 0xE2 else { return 0 }
        switch c {
        case 0x0A, 0x0B, 0x0C: return 1
        case 0x0D: return i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
        case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85: return 2
        case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
            return 3
        default: return 0
        }
    }
}
