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

    var isCapitalized: Bool { text.first?.isUppercase == true }
    var isLowercase: Bool { text.first?.isLowercase == true }
}

/// Splits text into words and marks. A word keeps its inner hyphens and apostrophes
/// (`al-Sham`, `People's`) and the dots of an abbreviation (`U.S.`).
enum Tokenizer {
    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var currentStart = 0
        var inQuote = false
        let characters = Array(text)
        func flush(at end: Int) {
            guard !current.isEmpty else { return }
            tokens.append(Token(text: current, folded: TextFolding.fold(current), isWord: true, inQuote: inQuote,
                                start: currentStart, end: end))
            current = ""
        }
        for (index, character) in characters.enumerated() {
            if current.isEmpty { currentStart = index }
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if (character == "-" || character == "'" || character == "\u{2019}" || character == "."),
                      !current.isEmpty, let next, next.isLetter || (character != "." && next.isNumber) {
                // Inner hyphen, apostrophe, or the dot of `U.S.`: part of the word.
                current.append(character)
            } else if character == ".", current.contains("."),
                      current.split(separator: ".").allSatisfy({ $0.count == 1 && $0.first!.isUppercase }) {
                current.append(character)
            } else {
                flush(at: index)
                if character.isWhitespace { continue }
                if character == "\"" || character == "\u{201C}" || character == "\u{201D}" {
                    let opening = character == "\u{201C}" || (character == "\"" && !inQuote)
                    if !opening { inQuote = false }
                    tokens.append(Token(text: String(character), folded: String(character), isWord: false, inQuote: opening,
                                        start: index, end: index + 1))
                    if opening { inQuote = true }
                    continue
                }
                tokens.append(Token(text: String(character), folded: String(character), isWord: false, inQuote: inQuote,
                                    start: index, end: index + 1))
            }
        }
        flush(at: characters.count)
        return tokens
    }

    static func words(of text: String) -> [String] {
        tokens(of: text).filter(\.isWord).map(\.text)
    }
}
