import Foundation

/// The form search compares words in: lowercased, accents removed.
public enum TextFolding {
    public static func fold(_ text: String) -> String {
        var text = text
        // Most words are ASCII, and most of those lowercase already: then the word is its own
        // folded form; ASCII capitals are lowered byte by byte, without Foundation.
        let ascii: Bool? = text.withUTF8 { bytes in
            var sawUpper = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte &- 0x41 < 26 { sawUpper = true }
            }
            return sawUpper
        }
        switch ascii {
        case false?: return text
        case true?: return text.withUTF8 { asciiString($0, lowering: true) }
        case nil: return foldWithTable(text)
        }
    }

    private static func foldWithFoundation(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The scalars whose folded forms are tabled: Latin-1, Latin Extended-A and -B (accented
    /// letters of names) and general punctuation (`’`). Precomposed, each folds on its own.
    private static let tabledLatin: ClosedRange<UInt32> = 0x80...0x24F
    private static let tabledPunctuation: ClosedRange<UInt32> = 0x2000...0x206F

    /// Each tabled scalar's folded form, asked of Foundation once per process.
    private static let foldedScalars: [String] = (tabledLatin.map { $0 } + tabledPunctuation.map { $0 }).map { value in
        foldWithFoundation(String(Character(Unicode.Scalar(value)!)))
    }

    /// A word of tabled scalars (and ASCII) folds scalar by scalar, from the table; any other
    /// (a combining mark, another script) is Foundation's to fold whole.
    private static func foldWithTable(_ text: String) -> String {
        var folded = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                folded.unicodeScalars.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(UInt8(value) | 0x20) : scalar)
            } else if tabledLatin.contains(value) {
                folded += foldedScalars[Int(value - tabledLatin.lowerBound)]
            } else if tabledPunctuation.contains(value) {
                folded += foldedScalars[tabledLatin.count + Int(value - tabledPunctuation.lowerBound)]
            } else {
                return foldWithFoundation(text)
            }
        }
        return folded
    }

    /// `text.lowercased()`, which maps every scalar on its own: ASCII byte by byte, Latin
    /// letters from a table made once, general punctuation as it is (asking Unicode's mapping scalar by scalar costs
    /// thousands of instructions a line), any other text as the standard library maps it.
    static func lowercased(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                bytes.append(value &- 0x41 < 26 ? UInt8(value) | 0x20 : UInt8(value))
            } else if tabledLatin.contains(value) {
                bytes.append(contentsOf: lowercasedLatin[Int(value - tabledLatin.lowerBound)])
            } else if tabledPunctuation.contains(value) {
                // General punctuation has no case.
                bytes.append(contentsOf: String(scalar).utf8)
            } else {
                return text.lowercased()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let lowercasedLatin: [[UInt8]] = tabledLatin.map { Array(String(Unicode.Scalar($0)!).lowercased().utf8) }

    /// ASCII bytes as a string, lowercased when `lowering` (their folded form). Words are
    /// short: up to 15 ASCII bytes make a small string, which needs no validation and no
    /// allocation, filled by one loop over the bytes.
    @inline(__always)
    static func asciiString(_ bytes: UnsafeBufferPointer<UInt8>, lowering: Bool) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            guard let from = bytes.baseAddress, let to = buffer.baseAddress else { return 0 }
            if lowering {
                for k in 0..<bytes.count {
                    let byte = from[k]
                    to[k] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                }
            } else {
                to.initialize(from: from, count: bytes.count)
            }
            return bytes.count
        }
    }

    /// ASCII bytes lowercased: their folded form.
    @inline(__always)
    static func foldASCII<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            var k = 0
            for byte in bytes {
                buffer[k] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                k += 1
            }
            return k
        }
    }

    /// The folded words of a text as the project's one tokenizer splits them, each with the
    /// forms a search may ask for: `al-Sham` also as `al` and `sham`, `Turkey's` also as `turkey`.
    public static func words(in text: String) -> [String] {
        var text = text
        var sink = SearchWords()
        text.withUTF8 { Tokenizer.scan($0, into: &sink) }
        return sink.words
    }

    /// Whether a word's stem splits into the parts a search may ask for.
    private static func isPartBreak(_ character: Character) -> Bool {
        character == "-" || character == "'" || character == "\u{2019}" || character == "." || character == "&"
    }

    /// Collects `words(in:)` from the tokenizer's words, straight from their bytes.
    struct SearchWords: Tokenizer.Sink {
        var words: [String] = []

        mutating func word(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, shape: Tokenizer.WordShape, inQuote: Bool) {
            guard shape.isASCII else { return addSlowly(TextFolding.fold(String(decoding: bytes, as: UTF8.self))) }
            words.append(TextFolding.foldASCII(bytes))
            // `Turkey's` is also `turkey`.
            var end = bytes.endIndex
            if bytes.count > 2, bytes[end - 1] | 0x20 == 0x73, bytes[end - 2] == 0x27 {
                end -= 2
                words.append(TextFolding.foldASCII(bytes[bytes.startIndex..<end]))
            }
            // `al-Sham` is also `al` and `sham`.
            var partStart = bytes.startIndex
            var split = false
            for index in bytes.startIndex..<end where Self.isASCIIPartBreak(bytes[index]) {
                if index > partStart { words.append(TextFolding.foldASCII(bytes[partStart..<index])) }
                partStart = index + 1
                split = true
            }
            if split, end > partStart { words.append(TextFolding.foldASCII(bytes[partStart..<end])) }
        }

        mutating func mark(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, inQuote: Bool, closesQuote: Bool) {}

        @inline(__always)
        private static func isASCIIPartBreak(_ byte: UInt8) -> Bool {
            byte == 0x2D || byte == 0x27 || byte == 0x2E || byte == 0x26
        }

        private mutating func addSlowly(_ folded: String) {
            words.append(folded)
            let stem = Gazetteer.withoutPossessive(folded)
            if stem != folded { words.append(stem) }
            if stem.contains(where: TextFolding.isPartBreak) {
                words += stem.split(whereSeparator: TextFolding.isPartBreak).map(String.init)
            }
        }
    }
}
