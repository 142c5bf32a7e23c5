import Foundation

/// Tells the operator, on standard error, what the server read and did not.
enum CorpusReport {
    static let say: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(("liveblog: " + line + "\n").utf8))
    }
}
