// The timing half of scripts/bench-codec, compiled together with Sources/Store (one module,
// optimized) so that it measures the store's own codec and Foundation's JSONDecoder.
//
//   bench-codec FOLDER ROUNDS
// Normalizes every .txt of FOLDER (on every core), then, on one core, decodes every article
// from its JSON (as `liveblog normalize` prints it) and from its ArticleCodec entry, in
// alternating rounds, and prints one line of figures per round and form.
import Dispatch
import Foundation

@main
enum BenchCodec {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    final class Slots: @unchecked Sendable {
        var articles: [Article?]
        var sourceBytes: [Int]
        let lock = NSLock()
        init(_ n: Int) { articles = Array(repeating: nil, count: n); sourceBytes = Array(repeating: 0, count: n) }
    }

    static func main() throws {
        let folder = CommandLine.arguments[1]
        let rounds = Int(CommandLine.arguments[2]) ?? 3
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
        let slots = Slots(names.count)
        let started = now()
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            let data = FileManager.default.contents(atPath: folder + "/" + names[i]) ?? Data()
            let article = try? ArticleNormalizer.normalize(text: String(decoding: data, as: UTF8.self),
                                                           id: (names[i] as NSString).deletingPathExtension)
            slots.lock.lock()
            slots.articles[i] = article
            slots.sourceBytes[i] = data.count
            slots.lock.unlock()
        }
        let articles = slots.articles.compactMap { $0 }
        let source = slots.sourceBytes.reduce(0, +)
        print("normalized \(articles.count) of \(names.count) files, \(source) source bytes, in \(String(format: "%.1f", now() - started)) s")

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let jsons = try articles.map { try encoder.encode($0) }
        let entries = articles.map(ArticleCodec.encode)
        for (i, article) in articles.enumerated() where i % 97 == 0 {
            let fromEntry = try ArticleCodec.decode(entries[i])
            let fromJSON = try JSONDecoder().decode(Article.self, from: jsons[i])
            precondition(fromEntry == article && fromJSON == article, "\(article.id) does not round-trip")
        }
        let jsonBytes = jsons.reduce(0) { $0 + $1.count }, entryBytes = entries.reduce(0) { $0 + $1.count }
        let updates = articles.reduce(0) { $0 + $1.updates.count }
        print("sizes source=\(source) json=\(jsonBytes) entry=\(entryBytes) articles=\(articles.count) updates=\(updates)")

        for round in 1...rounds {
            var t = now()
            var checksum = 0
            for json in jsons { checksum &+= try JSONDecoder().decode(Article.self, from: json).updates.count }
            let jsonSeconds = now() - t
            t = now()
            for entry in entries { checksum &+= try ArticleCodec.decode(entry).updates.count }
            let entrySeconds = now() - t
            precondition(checksum == 2 * updates)
            print("round \(round) json_s=\(jsonSeconds) entry_s=\(entrySeconds)")
        }
    }
}
