/// A word or a punctuation mark of a paragraph, with what the extractor asks of it.
struct Token: Sendable {
    var text: String
    /// Lowercased, accents removed.
    var folded: String
    var isWord: Bool
    /// Inside a double-quoted passage.
    var inQuote: Bool
    /// Character offsets in the text it came from.
    var start: Int = 0
    var end: Int = 0

    var isCapitalized: Bool
    var isLowercase: Bool

    init(text: String, folded: String, isWord: Bool, inQuote: Bool, start: Int = 0, end: Int = 0) {
        self.text = text
        self.folded = folded
        self.isWord = isWord
        self.inQuote = inQuote
        self.start = start
        self.end = end
        let first = text.unicodeScalars.first
        isCapitalized = first.map { ("A"..."Z").contains($0) || (!$0.isASCII && $0.properties.isUppercase) } ?? false
        isLowercase = first.map { ("a"..."z").contains($0) || (!$0.isASCII && $0.properties.isLowercase) } ?? false
    }
}

/// Splits text into words and marks. A word keeps its inner hyphens and apostrophes
/// (`al-Sham`, `People's`) and the dots of an abbreviation (`U.S.`).
enum Tokenizer {
    /// Offsets (`start`, `end`) count Unicode scalars of `text`.
    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var current = String.UnicodeScalarView()
        var currentStart = 0
        var inQuote = false
        let scalars = Array(text.unicodeScalars)
        func isLetterOrDigit(_ c: Unicode.Scalar) -> Bool {
            if c.isASCII { return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) }
            return c.properties.isAlphabetic || c.properties.numericType != nil || c.properties.generalCategory == .nonspacingMark
        }
        func flush(at end: Int) {
            guard !current.isEmpty else { return }
            let word = String(current)
            tokens.append(Token(text: word, folded: TextFolding.fold(word), isWord: true, inQuote: inQuote,
                                start: currentStart, end: end))
            current = String.UnicodeScalarView()
        }
        for (index, scalar) in scalars.enumerated() {
            if current.isEmpty { currentStart = index }
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            if isLetterOrDigit(scalar) {
                current.append(scalar)
            } else if scalar == "-" || scalar == "'" || scalar == "\u{2019}" || scalar == ".",
                      !current.isEmpty, let next, isLetterOrDigit(next), scalar != "." || !("0"..."9").contains(next) {
                // Inner hyphen, apostrophe, or the dot of `U.S.`: part of the word.
                current.append(scalar)
            } else if scalar == ".", current.contains("."),
                      String(current).split(separator: ".").allSatisfy({ $0.count == 1 && $0.first!.isUppercase }) {
                current.append(scalar)
            } else {
                flush(at: index)
                if scalar.properties.isWhitespace { continue }
                if scalar == "\"" || scalar == "\u{201C}" || scalar == "\u{201D}" {
                    let opening = scalar == "\u{201C}" || (scalar == "\"" && !inQuote)
                    if !opening { inQuote = false }
                    tokens.append(Token(text: String(scalar), folded: String(scalar), isWord: false, inQuote: opening,
                                        start: index, end: index + 1))
                    if opening { inQuote = true }
                    continue
                }
                tokens.append(Token(text: String(scalar), folded: String(scalar), isWord: false, inQuote: inQuote,
                                    start: index, end: index + 1))
            }
        }
        flush(at: scalars.count)
        return tokens
    }

    static func words(of text: String) -> [String] {
        tokens(of: text).filter(\.isWord).map(\.text)
    }
}
