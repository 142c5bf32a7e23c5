/// A word or a punctuation mark of a paragraph, with what the extractor asks of it. Plain
/// data, copied freely by the rules: its text and folded form live once per distinct word in
/// the vocabulary that made it, which outlives the article's tokens (`Vocabulary.makeRoom`).
struct Token {
    unowned(unsafe) let vocabulary: Vocabulary
    /// The word's number in `vocabulary`.
    let word: Int32
    private var start32: Int32 = 0
    private var end32: Int32 = 0
    private var length32: Int32 = 1

    var isWord: Bool
    /// Inside a double-quoted passage.
    var inQuote = false
    var isCapitalized = false
    var isLowercase = false
    /// No lowercase letter at all (`NATO`, `P&O`, `UK`).
    var isAllCapitals = false
    var hasDigit = false
    /// A word with a hyphen in it (`al-Julani`).
    var hasHyphen = false
    /// A double quotation mark, straight or curly.
    var isQuoteMark = false
    /// What the data files say of the word (`Lexicon.lookUp`).
    var classes: WordClasses = []
    /// The gazetteer names that may start at this word, for `Lexicon.matchNames` (-1: none).
    var candidates: Int32 = -1
    /// The word's number in the lexicon, and its stem's when it is a possessive (-1: none).
    var lexicalNumber: Int32 = -1
    var stemNumber: Int32 = -1
    /// The longest gazetteer name that starts at this token (set by `Lexicon.matchNames`).
    /// Entries belong to `Gazetteer.shared` and live as long as the process, so a token
    /// holds its entry without counting a reference.
    unowned(unsafe) var entry: Gazetteer.Entry?

    var text: String { vocabulary.text(of: word) }
    /// Lowercased, accents removed.
    var folded: String { vocabulary.folded(of: word) }
    /// UTF-8 offsets in the text it came from.
    var start: Int {
        get { Int(start32) }
        set { start32 = Int32(truncatingIfNeeded: newValue) }
    }
    var end: Int {
        get { Int(end32) }
        set { end32 = Int32(truncatingIfNeeded: newValue) }
    }
    /// Unicode scalars in `text`.
    var length: Int { Int(length32) }

    /// A mark: one character, its text its folded form, and it has no letters.
    init(mark word: Int32, in vocabulary: Vocabulary, isQuoteMark: Bool) {
        self.vocabulary = vocabulary
        self.word = word
        isWord = false
        isAllCapitals = true
        self.isQuoteMark = isQuoteMark
    }

    /// The word `word` of `vocabulary`, whose bytes are `bytes`, with what the scan saw of its letters.
    init(word: Int32, in vocabulary: Vocabulary, bytes: UnsafeBufferPointer<UInt8>, shape: Tokenizer.WordShape) {
        self.vocabulary = vocabulary
        self.word = word
        isWord = true
        hasHyphen = shape.hasHyphen
        guard shape.isASCII else {
            setLetterFlags(ofNonASCII: vocabulary.text(of: word))
            return
        }
        // ASCII, most words: the flags come from the scan.
        isCapitalized = shape.startsUpper
        isLowercase = shape.startsLower
        isAllCapitals = !shape.hasLower
        hasDigit = shape.hasDigit
        length32 = Int32(truncatingIfNeeded: bytes.count)
    }

    /// A word with characters beyond ASCII: its flags from Unicode's properties. Kept out of
    /// line, so that the ASCII path does not set up what this one needs.
    @inline(never)
    private mutating func setLetterFlags(ofNonASCII text: String) {
        var first = true
        var sawLower = false
        var length: Int32 = 0
        for scalar in text.unicodeScalars {
            length += 1
            let upper = scalar.isASCII ? (0x41...0x5A).contains(scalar.value) : scalar.properties.isUppercase
            let lower = scalar.isASCII ? (0x61...0x7A).contains(scalar.value) : scalar.properties.isLowercase
            if first {
                isCapitalized = upper
                isLowercase = lower
                first = false
            }
            if lower { sawLower = true }
            if scalar.isASCII ? (0x30...0x39).contains(scalar.value) : scalar.properties.numericType != nil { hasDigit = true }
        }
        isAllCapitals = !sawLower
        length32 = length
    }

    func `is`(_ wordClass: WordClasses) -> Bool { isWord && classes.contains(wordClass) }
}

/// Splits text into words and marks: the one tokenizer of the project, used by the actor and
/// quote finders and by the search index (`TextFolding.words`). A word keeps its inner
/// hyphens and apostrophes (`al-Sham`, `People's`), the dots of an abbreviation (`U.S.`) and
/// the ampersand of a name (`P&O`, `AT&T`), and a trailing plus (`Canal+`). It reads UTF-8
/// bytes: ASCII, most of the text, is never decoded into scalars. What it finds goes to a
/// sink: tokens for the extractor, folded words for the index, without building tokens.
enum Tokenizer {
    /// Receives the words and marks of one scan, in order. Offsets count UTF-8 bytes.
    /// What the scan saw of a word's characters while it read them, as bits, so that no one
    /// reads the word's bytes again to ask. The letter bits count ASCII letters only.
    struct WordShape {
        var bits: UInt8

        static let upper: UInt8 = 1, lower: UInt8 = 2, digit: UInt8 = 4, nonASCII: UInt8 = 8
        static let hyphen: UInt8 = 16, startsUpper: UInt8 = 32, startsLower: UInt8 = 64

        /// The bits of a word's first byte (a lead byte for any other script).
        static let ofByte: [UInt8] = (0..<256).map { byte in
            byte >= 0x80 ? nonASCII : (0x41...0x5A).contains(byte) ? upper : (0x61...0x7A).contains(byte) ? lower
                : (0x30...0x39).contains(byte) ? digit : 0
        }

        var isASCII: Bool { bits & Self.nonASCII == 0 }
        var hasUpper: Bool { bits & Self.upper != 0 }
        var hasLower: Bool { bits & Self.lower != 0 }
        var hasDigit: Bool { bits & Self.digit != 0 }
        var hasHyphen: Bool { bits & Self.hyphen != 0 }
        var startsUpper: Bool { bits & Self.startsUpper != 0 }
        var startsLower: Bool { bits & Self.startsLower != 0 }
    }

    protocol Sink {
        mutating func word(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, shape: WordShape, inQuote: Bool)
        /// A mark; `closesQuote` when it is a single mark read as the end of a double quote.
        mutating func mark(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, inQuote: Bool, closesQuote: Bool)
    }

    /// Offsets (`start`, `end`) count UTF-8 bytes of `text`. Every word carries its lexicon
    /// classes and the gazetteer name it starts.
    static func tokens(of text: String) -> [Token] {
        var text = text
        return text.withUTF8 { bytes in
            var sink = TokenList(vocabulary: Vocabulary.current, capacity: bytes.count / 4 + 4)
            defer { sink.deallocate() }
            scan(bytes, into: &sink)
            let tokens = UnsafeMutableBufferPointer(start: sink.buffer, count: sink.count)
            Lexicon.shared.matchNames(tokens)
            return Array(tokens)
        }
    }

    static func words(of text: String) -> [String] {
        var text = text
        var sink = WrittenWords()
        text.withUTF8 { scan($0, into: &sink) }
        return sink.words
    }

    /// The tokens of one scan, in a buffer of their own: a token is plain data, so that one
    /// is appended by copying its vocabulary prototype and setting where it stands.
    private struct TokenList: Sink {
        let vocabulary: Vocabulary
        private(set) var buffer: UnsafeMutablePointer<Token>
        private(set) var count = 0
        private var capacity: Int

        init(vocabulary: Vocabulary, capacity: Int) {
            self.vocabulary = vocabulary
            self.capacity = capacity
            buffer = .allocate(capacity: capacity)
        }

        func deallocate() { buffer.deallocate() }

        /// A word seen before is copied from the vocabulary: the same bytes make the same token.
        /// Out of line, so that the scan's loop keeps its state in registers.
        @inline(never)
        mutating func word(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, shape: WordShape, inQuote: Bool) {
            let word = UnsafeBufferPointer(rebasing: bytes)
            append(vocabulary.prototype(of: word, isWord: true) { vocabulary, number in
                var made = Token(word: number, in: vocabulary, bytes: word, shape: shape)
                let lookup = Lexicon.shared.lookUp(folded: made.folded)
                made.classes = lookup.classes
                made.candidates = lookup.candidates
                made.lexicalNumber = lookup.number
                made.stemNumber = lookup.stemNumber
                return made
            }, bytes, inQuote)
        }

        @inline(never)
        mutating func mark(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, inQuote: Bool, closesQuote: Bool) {
            // A single mark read as the end of a quote stands for `”` (E2 80 9D).
            let mark = closesQuote ? UnsafeBufferPointer(start: Tokenizer.closingQuote.utf8Start, count: Tokenizer.closingQuote.utf8CodeUnitCount)
                : UnsafeBufferPointer(rebasing: bytes)
            append(vocabulary.prototype(of: mark, isWord: false) { vocabulary, number in
                // `"`, or `“` and `”` (E2 80 9C, E2 80 9D).
                let isQuoteMark = mark.count == 1 && mark[0] == 0x22
                    || mark.count == 3 && mark[0] == 0xE2 && mark[1] == 0x80 && (mark[2] == 0x9C || mark[2] == 0x9D)
                return Token(mark: number, in: vocabulary, isQuoteMark: isQuoteMark)
            }, bytes, inQuote)
        }

        @inline(__always)
        private mutating func append(_ prototype: UnsafePointer<Token>, _ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ inQuote: Bool) {
            if count == capacity {
                capacity *= 2
                let larger = UnsafeMutablePointer<Token>.allocate(capacity: capacity)
                larger.moveInitialize(from: buffer, count: count)
                buffer.deallocate()
                buffer = larger
            }
            (buffer + count).initialize(to: prototype.pointee)
            buffer[count].start = bytes.startIndex
            buffer[count].end = bytes.endIndex
            buffer[count].inQuote = inQuote
            count += 1
        }
    }

    private struct WrittenWords: Sink {
        var words: [String] = []

        mutating func word(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, shape: WordShape, inQuote: Bool) {
            words.append(String(decoding: bytes, as: UTF8.self))
        }

        mutating func mark(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, inQuote: Bool, closesQuote: Bool) {}
    }

    private static let closingQuote: StaticString = "\u{201D}"

    /// ASCII bytes the scan settles at once: a space (1), or a mark that never joins a word nor
    /// opens or closes a quote (2: not `"`, `&`, `'`, `+`, `-`, `.`); 0 for any other byte.
    private static let space: UInt8 = 1, loneMark: UInt8 = 2
    private static let asciiBetweenWords: [UInt8] = (0..<128).map { byte in
        [0x20, 0x09, 0x0A, 0x0D].contains(byte) ? space
            : ((0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte)
               || (0x7B...0x7E).contains(byte)) && ![0x22, 0x26, 0x27, 0x2B, 0x2D, 0x2E].contains(byte) ? loneMark : 0
    }

    private static let quote: UInt32 = 0x22, leftDouble: UInt32 = 0x201C, rightDouble: UInt32 = 0x201D
    private static let rightSingle: UInt32 = 0x2019

    /// One scalar at `index`: its value and its length in bytes.
    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (UInt32, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let count = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard count > 1, index + count <= bytes.count else { return (0xFFFD, 1) }
        var value = UInt32(lead) & (count == 2 ? 0x1F : count == 3 ? 0x0F : 0x07)
        for k in 1..<count { value = value << 6 | UInt32(bytes[index + k] & 0x3F) }
        return (value, count)
    }

    @inline(__always)
    private static func isLetterOrDigit(_ value: UInt32) -> Bool {
        if value < 0x80 {
            return (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) || (0x30...0x39).contains(value)
        }
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
    }

    @inline(__always)
    private static func isUpperASCII(_ value: UInt32) -> Bool { (0x41...0x5A).contains(value) }

    static func scan<S: Sink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout S) {
        var wordStart = -1
        var shape: UInt8 = 0
        let byteBits = WordShape.ofByte
        /// The word so far is single capitals between dots (`U.S`): a last dot joins it.
        var abbreviation = false
        var lettersSinceDot = 0
        var inQuote = false
        var previous: UInt32 = 0x20

        func flush(at end: Int) {
            guard wordStart >= 0 else { return }
            sink.word(bytes[wordStart..<end], shape: WordShape(bits: shape), inQuote: inQuote)
            wordStart = -1
        }
        func mark(_ start: Int, _ length: Int, opensQuote: Bool) {
            sink.mark(bytes[start..<(start + length)], inQuote: opensQuote, closesQuote: false)
        }

        let between = Self.asciiBetweenWords
        var index = 0
        while index < bytes.count {
            var (value, length) = decode(bytes, index)
            var nextIndex = index + length
            defer { previous = value; index = nextIndex }
            // Most bytes between words are spaces and marks that never join a word: they need
            // none of the tests below.
            if value < 0x80, between[Int(value)] != 0 {
                flush(at: index)
                if between[Int(value)] == Self.loneMark { mark(index, 1, opensQuote: inQuote) }
                continue
            }
            if isLetterOrDigit(value) {
                let bits = byteBits[Int(bytes[index])]
                if wordStart < 0 {
                    wordStart = index
                    // The first letter's case, one place up: `startsUpper`, `startsLower`.
                    shape = bits | (bits & (WordShape.upper | WordShape.lower)) << 5
                    abbreviation = bits == WordShape.upper
                    lettersSinceDot = 0
                }
                shape |= bits
                lettersSinceDot += 1
                if lettersSinceDot > 1 || bits != WordShape.upper { abbreviation = false }
                // The ASCII letters and digits after it, most of any word, in a tight loop.
                var k = nextIndex
                while k < bytes.count, byteBits[Int(bytes[k])] & (WordShape.upper | WordShape.lower | WordShape.digit) != 0 {
                    shape |= byteBits[Int(bytes[k])]
                    k += 1
                }
                if k > nextIndex {
                    lettersSinceDot += k - nextIndex
                    abbreviation = false
                    value = UInt32(bytes[k - 1])
                    nextIndex = k
                }
                continue
            }
            let next: UInt32? = nextIndex < bytes.count ? decode(bytes, nextIndex).0 : nil
            let inWord = wordStart >= 0
            let nextIsWordChar: Bool
            if let next { nextIsWordChar = isLetterOrDigit(next) } else { nextIsWordChar = false }
            if inWord, nextIsWordChar, value == 0x2D || value == 0x27 || value == rightSingle || value == 0x26
                || (value == 0x2E && !(0x30...0x39).contains(next!)) {
                // Inner hyphen, apostrophe, ampersand, or the dot of `U.S.`: part of the word.
                if value == 0x2E { lettersSinceDot = 0 } else { abbreviation = false }
                if value == 0x26, !isLetterOrDigit(previous) {
                    flush(at: index)
                } else {
                    shape |= value >= 0x80 ? WordShape.nonASCII : value == 0x2D ? WordShape.hyphen : 0
                    continue
                }
            }
            if inWord, value == 0x2E, abbreviation, lettersSinceDot == 1, bytes[wordStart..<index].contains(0x2E) {
                abbreviation = false
                continue
            }
            if inWord, value == 0x2B, !nextIsWordChar {
                // `Canal+`: a trailing plus is part of a name; `GMT+3` is not one word.
                continue
            }
            flush(at: index)
            if value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D || value == 0xA0
                || (value > 0x7F && Unicode.Scalar(value)?.properties.isWhitespace == true) {
                continue
            }
            if value == quote || value == leftDouble || value == rightDouble {
                let opening = value == leftDouble || (value == quote && !inQuote)
                if !opening { inQuote = false }
                mark(index, length, opensQuote: opening)
                if opening { inQuote = true }
                continue
            }
            // `“…,’ she said`: a single mark after a sentence's punctuation closes a double quote
            // left open, as mismatched marks do on scraped pages.
            if inQuote, value == rightSingle || value == 0x27, previous == 0x2C || previous == 0x2E || previous == 0x3F || previous == 0x21, !nextIsWordChar {
                inQuote = false
                sink.mark(bytes[index..<nextIndex], inQuote: false, closesQuote: true)
                continue
            }
            mark(index, length, opensQuote: inQuote)
        }
        flush(at: bytes.count)
    }
}
