/// Where a JSON text first breaks the grammar (RFC 8259), for an error message that points
/// at it: Foundation's decoder on Linux only says that the data is not valid JSON.
///
/// One pass over the bytes; nesting is bounded so that a hostile file cannot exhaust the stack.
enum JSONSyntax {
    static let maximumDepth = 512

    struct Position: Equatable, CustomStringConvertible {
        var line: Int
        var column: Int
        var description: String { "line \(line), column \(column)" }
    }

    /// The line and column (from 1, in bytes) of the first byte that is not valid JSON there;
    /// nil when the text is valid.
    static func firstError(in bytes: [UInt8]) -> Position? {
        var scanner = Scanner(bytes: bytes)
        let valid = scanner.value(depth: 0) && { scanner.skipSpace(); return scanner.index == bytes.count }()
        guard !valid else { return nil }
        var line = 1
        var column = 1
        for byte in bytes[..<min(scanner.index, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return Position(line: line, column: column)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func value(depth: Int) -> Bool {
            skipSpace()
            guard depth < JSONSyntax.maximumDepth, let byte = current else { return false }
            switch byte {
            case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), depth: depth, keyed: true)
            case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), depth: depth, keyed: false)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func container(close: UInt8, depth: Int, keyed: Bool) -> Bool {
            index += 1
            skipSpace()
            if current == close { index += 1; return true }
            while true {
                if keyed {
                    skipSpace()
                    guard current == UInt8(ascii: "\""), string() else { return false }
                    skipSpace()
                    guard current == UInt8(ascii: ":") else { return false }
                    index += 1
                }
                guard value(depth: depth + 1) else { return false }
                skipSpace()
                if current == close { index += 1; return true }
                guard current == UInt8(ascii: ",") else { return false }
                index += 1
            }
        }

        mutating func string() -> Bool {
            index += 1
            while let byte = current {
                index += 1
                if byte == UInt8(ascii: "\"") { return true }
                if byte < 0x20 { index -= 1; return false }
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = current, "\"\\/bfnrtu".utf8.contains(escaped) else { return false }
                    index += 1
                }
            }
            return false
        }

        /// A misspelt literal is placed at its first letter.
        mutating func literal(_ word: String) -> Bool {
            let start = index
            for expected in word.utf8 {
                guard current == expected else { index = start; return false }
                index += 1
            }
            return true
        }

        mutating func number() -> Bool {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            var digits = 0
            while let byte = current, (0x30...0x39).contains(byte) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
                || (byte == UInt8(ascii: "-") && index > start) {
                if (0x30...0x39).contains(byte) { digits += 1 }
                index += 1
            }
            return digits > 0
        }
    }
}
