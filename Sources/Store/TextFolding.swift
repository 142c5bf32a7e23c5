import Foundation

/// The form search compares words in: lowercased, accents removed.
public enum TextFolding {
    public static func fold(_ text: String) -> String {
        var text = text
        return text.withUTF8 { fold(ArraySlice($0)) }
    }

    /// Folds the UTF-8 bytes of a word. Most words are ASCII: lowercasing them byte by byte
    /// is all folding does, without Foundation.
    static func fold(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                var k = 0
                for byte in bytes {
                    buffer[k] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    k += 1
                }
                return k
            }
        }
        return String(decoding: bytes, as: UTF8.self)
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The folded words of a text as the project's one tokenizer splits them, each with the
    /// forms a search may ask for: `al-Sham` also as `al` and `sham`, `Turkey's` also as `turkey`.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        for token in Tokenizer.tokens(of: text, annotated: false) where token.isWord {
            words.append(token.folded)
            let stem = Gazetteer.withoutPossessive(token.folded)
            if stem != token.folded { words.append(stem) }
            if stem.contains(where: { $0 == "-" || $0 == "'" || $0 == "\u{2019}" || $0 == "." || $0 == "&" }) {
                words += stem.split(whereSeparator: { $0 == "-" || $0 == "'" || $0 == "\u{2019}" || $0 == "." || $0 == "&" })
                    .map(String.init)
            }
        }
        return words
    }
}
