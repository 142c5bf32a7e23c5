import Dispatch
import CLinux
import Foundation
import Routes
import Store
import Synchronization

/// The corpus as it is on disk, kept current: owns the snapshot the loops read, and turns
/// file changes into the next snapshot and its change event.
///
/// Every change runs on one serial queue, so file state needs no lock; readers never wait
/// for it: they keep the snapshot they have until the router box hands them the next.
final class LiveCorpus: @unchecked Sendable {
    let folder: ArticleFolder
    let routers: RouterBox
    let progress: LoadProgress
    private let metrics: ServerMetrics?
    private let normalize: @Sendable (String, [UInt8]) -> Result<(Article, FoldedWords?), StoreError>
    private let report: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "liveblog-corpus")
    private var listeners: [@Sendable (StoreChange, Router) -> Void] = []

    // Touched only on `queue`.
    private var store = Store.empty
    private var router: Router
    private var files: [String: FileState] = [:]
    /// Article id -> the file it is served from, and every file that holds it.
    private var servedFrom: [String: String] = [:]
    private var filesByArticle: [String: Set<String>] = [:]
    private var timer: DispatchSourceTimer?
    /// Errors reported so far (each file once per distinct reason).
    private var refusedFiles = 0

    /// Seconds a file must have stood unchanged before a rescan (which has no close event
    /// to go by) reads it: a file still being written is left for the next look.
    static let settleSeconds: Int64 = 1

    private struct FileState {
        var stamp: ArticleFolder.Stamp?
        var articleID: String
        /// The article this file holds, when it parses (kept only while it is not served,
        /// so a duplicate can take over when the served file goes).
        var standby: ArticlePart?
        var good: Bool
        var lastError: String?
    }

    init(folder: ArticleFolder, routers: RouterBox, progress: LoadProgress, metrics: ServerMetrics?,
         normalize: @escaping @Sendable (String, [UInt8]) -> Result<(Article, FoldedWords?), StoreError>,
         report: @escaping @Sendable (String) -> Void) {
        self.folder = folder
        self.routers = routers
        self.progress = progress
        self.metrics = metrics
        self.normalize = normalize
        self.report = report
        router = routers.router
    }

    /// Called after each new snapshot is installed, on the corpus queue.
    func onChange(_ listener: @escaping @Sendable (StoreChange, Router) -> Void) {
        queue.sync { listeners.append(listener) }
    }

    /// Loads the whole folder once, in the background; `completion` runs after the first
    /// snapshot is installed.
    func loadInBackground(completion: @escaping @Sendable (_ store: Store, _ refusedFiles: Int, _ seconds: Double) -> Void) {
        queue.async { [self] in
            let started = DispatchTime.now()
            refresh(.everything, initial: true)
            // Normalizing every file leaves its scratch memory in malloc's free lists: give
            // the whole pages back, so the resident size is what the store holds.
            _ = liveblog_release_free_memory()
            // Reported before ready, so that whoever waits for /readyz finds the report written.
            completion(store, refusedFiles, Self.seconds(since: started))
            progress.markReady()
        }
    }

    /// Looks again at `change` (a SIGHUP, a watcher event, the periodic rescan), in the background.
    func refreshInBackground(_ change: FolderChange) {
        queue.async { [self] in refresh(change, initial: false) }
    }

    /// Rescans the whole folder every `seconds`, for file systems that send no events.
    /// Call once, before the load starts.
    func rescanPeriodically(every seconds: Int) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .seconds(seconds), repeating: .seconds(seconds))
        timer.setEventHandler { [self] in refresh(.everything, initial: false) }
        timer.resume()
        self.timer = timer
    }

    /// The snapshot now served (for tests and the start-up report).
    var current: Store { queue.sync { store } }

    // MARK: - One refresh

    private func refresh(_ change: FolderChange, initial: Bool) {
        let started = DispatchTime.now()
        let names: [String]
        switch change {
        case .names(let given):
            names = given.sorted()
        case .everything:
            do {
                names = Array(Set(try folder.names()).union(files.keys)).sorted()
            } catch {
                report(error.description)
                metrics?.recordLoad(reload: !initial, seconds: Self.seconds(since: started), succeeded: false)
                return
            }
        }
        if initial { progress.start(total: names.count) }
        let nowNanoseconds = Int64(Date().timeIntervalSince1970 * 1e9)
        var toRead: [(name: String, stamp: ArticleFolder.Stamp)] = []
        var gone: [String] = []
        var touchedIDs: Set<String> = []
        for name in names {
            switch folder.stamp(name) {
            case nil:
                if files[name] != nil { gone.append(name) }
            case .failure(let error)?:
                note(name, error: error.description)
            case .success(let stamp)?:
                if files[name]?.stamp == stamp { continue }
                if case .everything = change, !initial,
                   nowNanoseconds - stamp.modified < Self.settleSeconds * 1_000_000_000 {
                    queue.asyncAfter(deadline: .now() + .seconds(Int(Self.settleSeconds))) { [self] in
                        refresh(.names([name]), initial: false)
                    }
                    continue
                }
                toRead.append((name, stamp))
            }
        }
        let outcomes = readAll(toRead.map(\.name))
        for name in gone {
            guard let state = files.removeValue(forKey: name) else { continue }
            filesByArticle[state.articleID]?.remove(name)
            touchedIDs.insert(state.articleID)
        }
        for ((name, stamp), outcome) in zip(toRead, outcomes) {
            let id = ArticleFile.articleID(ofFileNamed: name)
            touchedIDs.insert(id)
            filesByArticle[id, default: []].insert(name)
            switch outcome {
            case .success(let (part, warnings)):
                for warning in warnings { report("\(name): warning: \(warning)") }
                files[name] = FileState(stamp: stamp, articleID: id, standby: part, good: true, lastError: nil)
            case .failure(let error):
                // A file that no longer parses keeps its article's last good version.
                var state = files[name] ?? FileState(stamp: nil, articleID: id, standby: nil, good: false, lastError: nil)
                state.stamp = stamp
                files[name] = state
                let keeps = state.good ? "; still serving its last good version" : ""
                note(name, error: error.description + keeps)
            }
        }
        var upserts: [ArticlePart] = []
        var removals: [String] = []
        for id in touchedIDs.sorted() {
            let candidates = (filesByArticle[id] ?? []).filter { files[$0]?.good == true }.sorted()
            guard let chosen = candidates.first else {
                if servedFrom.removeValue(forKey: id) != nil { removals.append(id) }
                continue
            }
            for other in candidates.dropFirst() {
                note(other, error: StoreError.duplicateID(servedFrom: chosen).description)
            }
            if let article = files[chosen]?.standby {
                upserts.append(article)
                files[chosen]?.standby = nil
            } else if servedFrom[id] != chosen, case .success(let (part, _))? = readAll([chosen]).first {
                upserts.append(part)
            }
            servedFrom[id] = chosen
        }
        guard initial || !upserts.isEmpty || !removals.isEmpty else { return }
        let previous = store
        let (next, storeChange) = store.applying(parts: upserts, removals: removals)
        store = next
        router = Router(store: next, metrics: metrics, readiness: progress)
        routers.replace(with: router)
        for listener in listeners { listener(storeChange, router) }
        metrics?.setCorpus(articles: next.articleCount, updates: next.updateCount, actors: next.actorCount,
                           refusedFiles: files.values.filter { !$0.good }.count)
        if !initial {
            metrics?.recordLoad(reload: true, seconds: Self.seconds(since: started), succeeded: true)
            let replacedCount = upserts.filter { previous.parts[$0.id] != nil }.count
            report("reloaded: \(upserts.count - replacedCount) articles added, \(replacedCount) replaced, "
                + "\(removals.count) removed; now \(next.articleCount) articles, \(next.updateCount) updates")
        }
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// Reads, normalizes and packs files on every core, in the given order; each article
    /// with the warnings its file gave.
    private func readAll(_ names: [String]) -> [Result<(ArticlePart, [String]), StoreError>] {
        let slots = Slots<Result<(ArticlePart, [String]), StoreError>>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { [folder, normalize, progress] index in
            let name = names[index]
            let outcome = folder.read(name).flatMap { normalize(name, $0) }.map { article, words in
                (ArticlePart(article: article, words: words), article.warnings)
            }
            slots.set(index, outcome)
            progress.advance()
        }
        return slots.values(default: .failure(.unreadable("not read")))
    }

    /// Reports an error for a file once, until the file changes.
    private func note(_ name: String, error: String) {
        if files[name]?.lastError == error { return }
        if files[name] == nil {
            let id = ArticleFile.articleID(ofFileNamed: name)
            filesByArticle[id, default: []].insert(name)
            files[name] = FileState(stamp: nil, articleID: id, standby: nil,
                                    good: false, lastError: nil)
        }
        files[name]?.lastError = error
        refusedFiles += 1
        report("\(name): error: \(error)")
    }
}

/// How far the first load is: what `/readyz` answers while it runs.
final class LoadProgress: ReadinessSource, Sendable {
    private let total = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let ready = Atomic<Bool>(false)

    func start(total count: Int) { total.store(count, ordering: .relaxed) }
    func advance() { done.add(1, ordering: .relaxed) }
    func markReady() { ready.store(true, ordering: .releasing) }

    func readiness() -> Readiness {
        ready.load(ordering: .acquiring)
            ? .ready
            : .loading(done: done.load(ordering: .relaxed), total: total.load(ordering: .relaxed))
    }
}
