/// What the rules ask of a token most often, answered from its plain fields first, so that
/// most tokens are told apart without reading their text or their gazetteer entry.
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

    /// Whether a gazetteer name may start here (`Lexicon.matchNames` gave it candidates): only
    /// such a token holds an `entry`, and reading this costs no reference count.
    @inline(__always)
    var mayStartName: Bool { candidates >= 0 }

    /// Whether the token's text ends in a possessive (`…'s`, `…’s`): exactly when
    /// `Gazetteer.withoutPossessive` would change it, told from the last bytes.
    @inline(__always)
    var mayBePossessive: Bool {
        isWord && text.utf8.withContiguousStorageIfAvailable { b in
            let n = b.count
            guard n > 2, b[n - 1] == 0x73 else { return false }
            // `'` (27), or `’` (E2 80 99) after the first byte.
            return b[n - 2] == 0x27 || (n > 4 && b[n - 2] == 0x99 && b[n - 3] == 0x80 && b[n - 4] == 0xE2)
        } != false
    }

    /// Whether the token is an honorific (`Dr`, `Mr.`): `PersonFinder.isHonorific` of its text.
    /// A word ends with a dot only as an abbreviation of capitals (`U.S.`): any other is told
    /// by its class bit, the lexicon's lookup of its folded form.
    @inline(__always)
    var isHonorific: Bool {
        isAllCapitals && text.utf8.last == 0x2E ? PersonFinder.isHonorific(text) : classes.contains(.honorific)
    }
}
