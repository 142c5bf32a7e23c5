import Foundation
import XCTest

/// One `/metrics` body, parsed: every sample by its series (`name{labels}`), and the
/// families its `# TYPE` lines declare.
struct MetricsScrape {
    let text: String
    private(set) var samples: [String: Double] = [:]
    private(set) var families: [String: String] = [:]

    init(_ text: String) {
        self.text = text
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { families[String(parts[2])] = String(parts[3]) }
            } else if !line.hasPrefix("#"), let space = line.lastIndex(of: " ") {
                samples[String(line[..<space])] = Double(line[line.index(after: space)...])
            }
        }
    }

    /// A series' value; 0 when absent (a counter not yet moved).
    subscript(_ series: String) -> Double { samples[series] ?? 0 }

    /// The values a label takes across a family's samples.
    func labelValues(_ family: String, _ label: String) -> Set<String> {
        var values = Set<String>()
        for series in samples.keys where series.hasPrefix(family + "{") {
            if let range = series.range(of: "\(label)=\"") {
                values.insert(String(series[range.upperBound...].prefix { $0 != "\"" }))
            }
        }
        return values
    }

    /// `promtool check metrics` on this body: Debian's `prometheus` package, which
    /// `scripts/require --test` installs.
    func checkWithPromtool(file: StaticString = #filePath, line: UInt = #line) throws {
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let promtool else {
            throw Failure("promtool is not installed: `scripts/require --test` installs it (apt-get install prometheus)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "promtool check metrics: \(report)", file: file, line: line)
    }
}
