// The timing half of scripts/bench-store's single-core normalization figure (issue 10),
// compiled together with Sources/Store (one module, optimized) so that it measures the
// normalizer alone: no file reads, no index, no JSON output.
//
//   bench-normalize FOLDER ROUNDS
// Reads every .txt of FOLDER into memory, then on this one thread, in alternating rounds:
// normalizes every file (`ArticleFile.article`, what a cold load runs per file) and, as the
// peer run, decodes every article from the JSON `liveblog normalize` prints (Foundation's
// JSONDecoder, which no change to the normalizer touches). Times are this thread's CPU
// seconds, so other processes on a shared machine inflate them less than wall time would.
// Prints one line per round, then the memory the normalized articles hold and the peak.
import Foundation

@main
enum BenchNormalize {
    static func threadSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// `VmRSS` or `VmHWM` of this process, in bytes.
    static func memory(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
        }
        return 0
    }

    static func main() throws {
        let folder = CommandLine.arguments[1]
        let rounds = Int(CommandLine.arguments[2]) ?? 3
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
        let files = names.map { name in [UInt8](FileManager.default.contents(atPath: folder + "/" + name) ?? Data()) }
        let source = files.reduce(0) { $0 + $1.count }
        // The data files load once per process: not part of any file's cost.
        _ = ArticleFile.article(name: names[0], bytes: files[0])

        let before = memory("VmRSS")
        var kept: [Article] = []
        kept.reserveCapacity(files.count)
        var t = threadSeconds()
        for (name, bytes) in zip(names, files) {
            if case .success(let article) = ArticleFile.article(name: name, bytes: bytes) { kept.append(article) }
        }
        let firstSeconds = threadSeconds() - t
        let held = memory("VmRSS") - before
        let peak = memory("VmHWM") - before
        let updates = kept.reduce(0) { $0 + $1.updates.count }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let jsons = try kept.map { try encoder.encode($0) }
        kept = []
        print("sizes source=\(source) files=\(files.count) articles=\(jsons.count) updates=\(updates) held=\(held) peak=\(peak)")
        print("round 0 normalize_s=\(firstSeconds)")
        for round in 1...rounds {
            var checksum = 0
            t = threadSeconds()
            for (name, bytes) in zip(names, files) {
                if case .success(let article) = ArticleFile.article(name: name, bytes: bytes) { checksum &+= article.updates.count }
            }
            let normalizeSeconds = threadSeconds() - t
            t = threadSeconds()
            for json in jsons { checksum &+= try JSONDecoder().decode(Article.self, from: json).updates.count }
            let peerSeconds = threadSeconds() - t
            precondition(checksum == 2 * updates, "a round normalized differently")
            print("round \(round) normalize_s=\(normalizeSeconds) peer_s=\(peerSeconds)")
        }
    }
}
