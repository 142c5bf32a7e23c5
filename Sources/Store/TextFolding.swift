import Foundation

/// The form search compares words in: lowercased, accents removed.
public enum TextFolding {
    public static func fold(_ text: String) -> String {
        // Most words are ASCII: lowercasing them is all folding does, without Foundation.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The folded words of a text: runs of letters and digits.
    public static func words(in text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
