import Foundation
import XCTest

/// The shared corpus beside the project (`../shared`): the dev articles with their expected
/// results, the malformed files, and the scorer. Tests that need it fail, naming the path,
/// when it is absent.
enum SharedCorpus {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let root = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static var dev: URL { root.appendingPathComponent("corpus/dev") }
    static var devExpected: URL { root.appendingPathComponent("corpus/dev.expected") }
    static var real: URL { root.appendingPathComponent("corpus/real") }
    static var realExpected: URL { root.appendingPathComponent("corpus/real.expected") }
    static var bad: URL { root.appendingPathComponent("corpus/bad") }
    static var scorer: URL { root.appendingPathComponent("tools/score-corpus") }
    static var sample: URL { packageRoot.appendingPathComponent("Sources/Server/Resources/sample") }
    static var sampleExpected: URL { packageRoot.appendingPathComponent("Tests/Fixtures/sample.expected") }

    static func require(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            XCTFail("this test needs \(url.path) (the shared corpus and tools beside the project)", file: file, line: line)
            throw Failure("missing \(url.path)")
        }
    }

    /// Runs score-corpus against a server; returns its exit status and output.
    static func score(port: UInt16, expected: URL, arguments: [String] = []) throws -> (status: Int32, output: String) {
        try ChildProcess.run("/usr/bin/env", ["python3", scorer.path, "--url", "http://127.0.0.1:\(port)",
                                              "--expected", expected.path] + arguments)
    }
}
