/// The small words the rules compare tokens with (`and`, `of`, `the`, `according`): by the
/// lexicon's bits first, so that most tokens are told apart without reading their text.
extension Token {
    /// Whether the token's folded form is `word`, one of the person finder's stopwords: a
    /// token folded to it has the stopword bit, which most tokens lack.
    @inline(__always)
    func folds(to word: String) -> Bool {
        assert(Lexicon.shared.classes(of: word).contains(.stopword), "\(word) is not a stopword")
        return classes.contains(.stopword) && folded == word
    }

    /// Whether the token is the mark `mark` (`,`, `.`, `(`): no word is.
    @inline(__always)
    func isMark(_ mark: String) -> Bool {
        !isWord && text == mark
    }
}
