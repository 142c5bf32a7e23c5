/// Why an article file could not be served, in words an operator can act on.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no bytes (or only whitespace).
    case emptyFile
    /// The bytes are not UTF-8 text.
    case notUTF8
    /// The first line is not ` date YYYY-MM-DD …`, so no update can be given a year.
    case missingDateHeader(firstLine: String)
    /// The header has a date, but not a real one.
    case invalidDateHeader(String)
    /// Text that holds no update line at all.
    case noUpdates
    /// Update lines were found, but none could be used; the first reason is given.
    case invalidUpdates(String)
    /// A `.json` file that is not a normalized article.
    case invalidJSON(String)
    /// The file could not be read; the reason in plain words (permission denied …).
    case unreadable(String)
    /// The file is larger than the server takes; it was not read.
    case tooLarge(bytes: Int, limit: Int)
    /// A folder, a FIFO, a device, a socket: not a file to read.
    case notRegularFile(kind: String)
    /// Another file of the folder has the same article id; that one is served.
    case duplicateID(servedFrom: String)
    /// Bytes that are not a whole, intact `ArticleCodec` entry (truncated, damaged, or of
    /// another format); the cache ignores such an entry and normalizes the file again.
    case invalidCacheEntry(String)
    /// Bytes that are not a whole, intact `StoreSnapshot` (truncated, damaged, or of another
    /// format); the store is then built from the articles instead.
    case invalidSnapshot(String)

    public var description: String {
        switch self {
        case .emptyFile: return "empty file"
        case .notUTF8: return "not UTF-8 text"
        case .missingDateHeader(let line):
            return "missing date header (the first line should be ' date YYYY-MM-DD', found \(Self.excerpt(line)))"
        case .invalidDateHeader(let text): return "invalid date in the header: \(Self.excerpt(text))"
        case .noUpdates: return "no update lines ('HH:MM GMT – headline') found"
        case .invalidUpdates(let why): return "no usable update: \(why)"
        case .invalidJSON(let why): return "not a normalized article: \(why)"
        case .unreadable(let why): return "cannot read it: \(why)"
        case .tooLarge(let bytes, let limit):
            return "too large: \(bytes) bytes, the limit is \(limit) (--max-file-size); not read"
        case .notRegularFile(let kind): return "not a regular file (\(kind)); skipped"
        case .duplicateID(let other):
            return "has the same article id as \(other); the article is served from \(other) only"
        case .invalidCacheEntry(let why): return "not an intact cache entry: \(why)"
        case .invalidSnapshot(let why): return "not an intact store snapshot: \(why)"
        }
    }

    static func excerpt(_ s: String) -> String {
        let trimmed = s.count > 60 ? String(s.prefix(60)) + "…" : s
        return "'\(trimmed)'"
    }
}

/// A message about one file of a corpus: an error (the file is not served) or a warning
/// (the file is served, something in it was skipped).
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var file: String
    public var line: Int?
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int? = nil, severity: Severity, message: String) {
        self.file = file
        self.line = line
        self.severity = severity
        self.message = message
    }

    /// `file.txt:12: warning: …`, the shape compilers use, so editors can jump to it.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(severity.rawValue): \(message)"
    }
}
