/// The lines of an article file, split on its UTF-8 bytes: `\n`, `\r\n`, a lone `\r`, and the
/// other line ends Unicode names (VT, FF, NEL, U+2028, U+2029), so that line numbers in
/// warnings match what an editor shows. A leading byte-order mark is not content.
enum Lines {
    static func split(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes -> [String] in
            var lines: [String] = []
            var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            var i = start
            while i < bytes.count {
                let c = bytes[i]
                // Most bytes end nothing: only these can start a line end.
                guard c <= 0x0D || c == 0xC2 || c == 0xE2 else {
                    i += 1
                    continue
                }
                var width = 0
                switch c {
                case 0x0A, 0x0B, 0x0C: width = 1
                case 0x0D: width = i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
                case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85: width = 2
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    width = 3
                default: break
                }
                if width > 0 {
                    lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    i += width
                    start = i
                } else {
                    i += 1
                }
            }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self))
            return lines
        }
    }
}
