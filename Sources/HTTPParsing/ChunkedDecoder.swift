/// Reads the framing of a chunked body (RFC 9112 §7.1) as its bytes arrive, one state per
/// grammar position, so that every byte is looked at once however the body is split.
///
/// It holds no bytes: it says how many of those it was given belong to the body. Data is
/// skipped by its size, not scanned; everything else (chunk-size lines, extensions, the
/// trailer section) is held to its exact grammar and counted against its limit as it comes.
public struct ChunkedDecoder: Sendable {
    public enum Progress: Equatable, Sendable {
        /// Every byte given belongs to the body, and the body goes on.
        case needsMore
        /// The body ended after this many of the bytes given.
        case complete(used: Int)
        case failure(HTTPError)
    }

    private enum State: Equatable {
        /// chunk-size = 1*HEXDIG; `digits` so far.
        case size(digits: Int)
        /// BWS after the size or an extension, which only a `;` may follow.
        case whitespaceBeforeSemicolon
        /// After `;`: BWS, then an extension name.
        case extensionNameStart
        case extensionName
        /// BWS after a name: `=` or the next `;`.
        case whitespaceAfterName
        /// After `=`: BWS, then a token or a quoted string.
        case extensionValueStart
        case extensionValueToken
        case extensionValueQuoted
        case extensionValueQuotedPair
        /// Right after the closing quote: CR, `;`, or BWS before a `;`.
        case afterQuotedValue
        /// The CR of the size line was seen.
        case sizeLineFeed
        case data(remaining: Int)
        case dataCarriageReturn
        case dataLineFeed
        /// The start of a trailer field line, or of the empty line that ends the body.
        case trailerLineStart
        case trailerName
        case trailerValue
        case trailerLineFeed
        case lastLineFeed
        case done
    }

    private var state = State.size(digits: 0)
    private var chunkSize = 0
    private var sizeOverflowed = false
    private var lineBytes = 0
    private var metadataBytes = 0
    private var trailerBytes = 0
    /// Data bytes so far, the sum of the chunk sizes read.
    public private(set) var dataBytes = 0

    public init() {}

    public var isComplete: Bool { state == .done }

    /// Takes the next bytes of the body.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer) -> Progress {
        var i = 0
        let count = bytes.count
        while i < count {
            if case .data(let remaining) = state {
                let taken = min(remaining, count - i)
                i += taken
                state = remaining == taken ? .dataCarriageReturn : .data(remaining: remaining - taken)
                continue
            }
            let byte = bytes[i]
            i += 1
            if let failure = step(byte) {
                state = .done
                return .failure(failure)
            }
            if state == .done { return .complete(used: i) }
        }
        return .needsMore
    }

    /// One byte outside the chunk data.
    private mutating func step(_ c: UInt8) -> HTTPError? {
        switch state {
        case .size, .whitespaceBeforeSemicolon, .extensionNameStart, .extensionName, .whitespaceAfterName,
             .extensionValueStart, .extensionValueToken, .extensionValueQuoted, .extensionValueQuotedPair,
             .afterQuotedValue, .sizeLineFeed:
            lineBytes += 1
            metadataBytes += 1
            if lineBytes > HTTPLimits.maximumChunkLineBytes {
                return .badRequest("a chunk-size line is longer than \(HTTPLimits.maximumChunkLineBytes) bytes")
            }
            if metadataBytes > HTTPLimits.maximumChunkMetadataBytes { return .chunkMetadataTooLarge }
        case .dataCarriageReturn, .dataLineFeed:
            metadataBytes += 1
            if metadataBytes > HTTPLimits.maximumChunkMetadataBytes { return .chunkMetadataTooLarge }
        case .trailerLineStart, .trailerName, .trailerValue, .trailerLineFeed, .lastLineFeed:
            trailerBytes += 1
            if trailerBytes > HTTPLimits.maximumTrailerBytes { return .trailersTooLarge }
        case .data, .done:
            break
        }
        switch state {
        case .size(let digits):
            if let value = HTTPGrammar.hexValue(c) {
                if chunkSize > (Int.max - value) / 16 { sizeOverflowed = true } else { chunkSize = chunkSize * 16 + value }
                state = .size(digits: digits + 1)
                return nil
            }
            guard digits > 0 else { return .badRequest("a chunk must start with its size in hexadecimal digits") }
            if sizeOverflowed { return .badRequest("a chunk size is too large a number to hold") }
            if chunkSize > HTTPLimits.maximumBodyBytes - dataBytes { return .contentTooLarge }
            dataBytes += chunkSize
            return afterSizeOrValue(c, whitespaceAllowed: true)
        case .whitespaceBeforeSemicolon:
            if HTTPGrammar.isWhitespace(c) { return nil }
            guard c == UInt8(ascii: ";") else { return malformedLine }
            state = .extensionNameStart
        case .extensionNameStart:
            if HTTPGrammar.isWhitespace(c) { return nil }
            guard HTTPGrammar.isTokenByte(c) else { return malformedLine }
            state = .extensionName
        case .extensionName:
            if HTTPGrammar.isTokenByte(c) { return nil }
            if HTTPGrammar.isWhitespace(c) {
                state = .whitespaceAfterName
            } else if c == UInt8(ascii: "=") {
                state = .extensionValueStart
            } else {
                return afterSizeOrValue(c, whitespaceAllowed: false)
            }
        case .whitespaceAfterName:
            if HTTPGrammar.isWhitespace(c) { return nil }
            if c == UInt8(ascii: "=") {
                state = .extensionValueStart
            } else {
                guard c == UInt8(ascii: ";") else { return malformedLine }
                state = .extensionNameStart
            }
        case .extensionValueStart:
            if HTTPGrammar.isWhitespace(c) { return nil }
            if c == UInt8(ascii: "\"") {
                state = .extensionValueQuoted
            } else {
                guard HTTPGrammar.isTokenByte(c) else { return malformedLine }
                state = .extensionValueToken
            }
        case .extensionValueToken:
            if HTTPGrammar.isTokenByte(c) { return nil }
            return afterSizeOrValue(c, whitespaceAllowed: true)
        case .extensionValueQuoted:
            if c == UInt8(ascii: "\"") {
                state = .afterQuotedValue
            } else if c == UInt8(ascii: "\\") {
                state = .extensionValueQuotedPair
            } else {
                guard HTTPGrammar.isQuotedTextByte(c) else { return malformedLine }
            }
        case .extensionValueQuotedPair:
            guard HTTPGrammar.isFieldValueByte(c) else { return malformedLine }
            state = .extensionValueQuoted
        case .afterQuotedValue:
            return afterSizeOrValue(c, whitespaceAllowed: true)
        case .sizeLineFeed:
            guard c == 0x0A else { return malformedLine }
            lineBytes = 0
            state = chunkSize == 0 ? .trailerLineStart : .data(remaining: chunkSize)
        case .dataCarriageReturn:
            guard c == 0x0D else { return .badRequest("a chunk's data is longer than its size") }
            state = .dataLineFeed
        case .dataLineFeed:
            guard c == 0x0A else { return .badRequest("a chunk's data must end with CRLF") }
            chunkSize = 0
            state = .size(digits: 0)
        case .trailerLineStart:
            if c == 0x0D {
                state = .lastLineFeed
            } else {
                guard HTTPGrammar.isTokenByte(c) else { return malformedTrailer }
                state = .trailerName
            }
        case .trailerName:
            if HTTPGrammar.isTokenByte(c) { return nil }
            guard c == UInt8(ascii: ":") else { return malformedTrailer }
            state = .trailerValue
        case .trailerValue:
            if c == 0x0D {
                state = .trailerLineFeed
            } else {
                guard HTTPGrammar.isFieldValueByte(c) else { return malformedTrailer }
            }
        case .trailerLineFeed:
            guard c == 0x0A else { return malformedTrailer }
            state = .trailerLineStart
        case .lastLineFeed:
            guard c == 0x0A else { return malformedTrailer }
            state = .done
        case .data, .done:
            break
        }
        return nil
    }

    /// After a chunk size, an extension name or value: the line ends, another extension
    /// starts, or BWS comes before one.
    private mutating func afterSizeOrValue(_ c: UInt8, whitespaceAllowed: Bool) -> HTTPError? {
        if c == 0x0D {
            state = .sizeLineFeed
        } else if c == UInt8(ascii: ";") {
            state = .extensionNameStart
        } else if whitespaceAllowed && HTTPGrammar.isWhitespace(c) {
            state = .whitespaceBeforeSemicolon
        } else {
            return malformedLine
        }
        return nil
    }

    private var malformedLine: HTTPError {
        .badRequest("malformed chunk-size line: it must be hexadecimal digits, then any ';name=value' extensions, then CRLF")
    }

    private var malformedTrailer: HTTPError {
        .badRequest("malformed trailer section: each line must be 'name: value' and end with CRLF, and an empty line must end it")
    }
}
