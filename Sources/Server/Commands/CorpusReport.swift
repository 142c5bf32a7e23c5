import Foundation
import Store

/// Loads a corpus for serving and tells the operator, on standard error, what was read
/// and what was not.
enum CorpusReport {
    /// `metrics` is told how the load went (`reload`: a rescan after the first load).
    static func load(_ directory: String, metrics: ServerMetrics? = nil, reload: Bool = false) throws -> Store {
        let started = Date()
        let result: CorpusLoader.Result
        do {
            result = try CorpusLoader.load(directory: directory)
        } catch {
            say("articles folder \(directory): \(error)")
            metrics?.recordLoad(reload: reload, seconds: Date().timeIntervalSince(started), succeeded: false)
            throw CommandFailure("cannot load articles from \(directory): \(error)")
        }
        for diagnostic in result.diagnostics {
            say(diagnostic.description)
        }
        let store = Store(articles: result.articles)
        let failed = result.diagnostics.filter { $0.severity == .error }.count
        let seconds = Date().timeIntervalSince(started)
        metrics?.setCorpus(articles: result.articles.count, updates: store.updates.count, actors: store.actors.count, refusedFiles: failed)
        metrics?.recordLoad(reload: reload, seconds: seconds, succeeded: true)
        say("loaded \(result.articles.count) articles (\(failed) refused), \(store.updates.count) updates, "
            + "\(store.actors.count) actors from \(directory) in \(String(format: "%.2f", seconds)) s")
        return store
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data(("liveblog: " + line + "\n").utf8))
    }
}
