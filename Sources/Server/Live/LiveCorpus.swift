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
    private let normalize: @Sendable (String, [UInt8], ContentKey?) -> Result<(Article, FoldedWords?), StoreError>
    /// Where the store is kept between runs, when there is a cache.
    private let snapshots: StoreSnapshotFile?
    private let snapshotQueue = DispatchQueue(label: "liveblog-snapshot", qos: .utility)
    private let saveRequests = Atomic<UInt64>(0)
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
    /// Articles added, replaced or removed since the snapshot on disk was written, and when.
    private var changesSinceSave = 0
    private var lastSave = DispatchTime.now()
    /// Files whose content the snapshot read at start-up still matches: their articles
    /// are reused as the snapshot holds them.
    private var reusable: [String: (label: StoreSnapshotFile.Label, part: ArticlePart)] = [:]
    private var reusedFromSnapshot = 0

    /// Seconds a file must have stood unchanged before a rescan (which has no close event
    /// to go by) reads it: a file still being written is left for the next look.
    static let settleSeconds: Int64 = 1
    /// The snapshot is written again once this share of the articles changed since, or
    /// after `resaveSeconds` with any change: a restart then redoes at most that much.
    static let resaveShare = 16
    static let resaveSeconds: UInt64 = 600

    private struct FileState {
        var stamp: ArticleFolder.Stamp?
        var articleID: String
        /// Its content's key and warnings (kept when there is a snapshot to label), and its
        /// stamp if it had stood still for `settleSeconds` when it was looked at.
        var key: ContentKey?
        var warnings: [String] = []
        var isSettled = false
        /// The article this file holds, when it parses (kept only while it is not served,
        /// so a duplicate can take over when the served file goes).
        var standby: ArticlePart?
        var good: Bool
        var lastError: String?
    }

    init(folder: ArticleFolder, routers: RouterBox, progress: LoadProgress, metrics: ServerMetrics?,
         snapshots: StoreSnapshotFile? = nil,
         normalize: @escaping @Sendable (String, [UInt8], ContentKey?) -> Result<(Article, FoldedWords?), StoreError>,
         report: @escaping @Sendable (String) -> Void) {
        self.folder = folder
        self.routers = routers
        self.progress = progress
        self.metrics = metrics
        self.normalize = normalize
        self.snapshots = snapshots
        self.report = report
        router = routers.router
    }

    /// Called after each new snapshot is installed, on the corpus queue.
    func onChange(_ listener: @escaping @Sendable (StoreChange, Router) -> Void) {
        queue.sync { listeners.append(listener) }
    }

    /// Loads the whole folder once, in the background; `completion` runs after the first
    /// snapshot is installed.
    func loadInBackground(completion: @escaping @Sendable (_ store: Store, _ refusedFiles: Int, _ fromSnapshot: Int,
                                                           _ seconds: Double) -> Void) {
        queue.async { [self] in
            let started = DispatchTime.now()
            // The snapshot is read while the folder is listed and stamped, and installed
            // before any file is read.
            let snapshot = Slots<(Result<(store: Store, labels: [String: StoreSnapshotFile.Label]), SnapshotProblem>?, Double)>(count: 1)
            let reading = DispatchGroup()
            if let snapshots {
                DispatchQueue.global().async(group: reading) {
                    let began = DispatchTime.now()
                    let loaded = snapshots.load()
                    snapshot.set(0, (loaded, Self.seconds(since: began)))
                }
            }
            refresh(.everything, initial: true) {
                reading.wait()
                let (loaded, seconds) = snapshot.values(default: (nil, 0))[0]
                install(loaded, seconds: seconds)
            }
            reusable = [:]
            // Normalizing every file leaves its scratch memory in malloc's free lists: give
            // the whole pages back, so the resident size is what the store holds.
            _ = liveblog_release_free_memory()
            // Reported before ready, so that whoever waits for /readyz finds the report written.
            completion(store, refusedFiles, reusedFromSnapshot, Self.seconds(since: started))
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

    /// `beforeReading` runs once the folder is stamped, before any file is read.
    private func refresh(_ change: FolderChange, initial: Bool, beforeReading: () -> Void = {}) {
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
        beforeReading()
        let outcomes = readAll(toRead.map { ($0.name, $0.stamp) })
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
            case .success(let (part, warnings, key)):
                for warning in warnings { report("\(name): warning: \(warning)") }
                let settled = nowNanoseconds - max(stamp.modified, stamp.changed) >= Self.settleSeconds * 1_000_000_000
                files[name] = FileState(stamp: stamp, articleID: id, key: key, warnings: snapshots == nil ? [] : warnings,
                                        isSettled: settled, standby: part, good: true, lastError: nil)
            case .failure(let error):
                // A file that no longer parses keeps its article's last good version.
                var state = files[name] ?? FileState(stamp: nil, articleID: id, standby: nil, good: false, lastError: nil)
                state.stamp = stamp
                // Its stamp is now the bad version's: a restart must read it again.
                state.isSettled = false
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
                // An article reused from the snapshot is in the store already.
                if store.parts[id] !== article { upserts.append(article) } else { reusedFromSnapshot += 1 }
                files[chosen]?.standby = nil
            } else if servedFrom[id] != chosen, case .success(let (part, _, _))? = readAll([(chosen, nil)]).first {
                upserts.append(part)
            }
            servedFrom[id] = chosen
        }
        if initial {
            // Articles of the snapshot whose files are gone, or no longer hold them.
            removals += store.parts.keys.filter { servedFrom[$0] == nil }.sorted()
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
        changesSinceSave += upserts.count + removals.count
        saveSnapshotIfDue(initial: initial)
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
    /// with the warnings its file gave and its content key (with a snapshot to label). A
    /// file that still holds what the start-up snapshot was made from is not normalized:
    /// its article is the snapshot's.
    private func readAll(_ files: [(name: String, stamp: ArticleFolder.Stamp?)]) -> [Result<(ArticlePart, [String], ContentKey?), StoreError>] {
        let slots = Slots<Result<(ArticlePart, [String], ContentKey?), StoreError>>(count: files.count)
        let labelled = snapshots != nil
        DispatchQueue.concurrentPerform(iterations: files.count) { [folder, normalize, progress, reusable] index in
            let (name, stamp) = files[index]
            let id = ArticleFile.articleID(ofFileNamed: name)
            if let known = reusable[id], known.label.fileName == name, let stamp, known.label.stamp == stamp,
               stamp.size <= folder.maximumFileBytes {
                slots.set(index, .success((known.part, known.label.warnings, known.label.key)))
                progress.advance()
                return
            }
            let outcome = folder.read(name).flatMap { bytes -> Result<(ArticlePart, [String], ContentKey?), StoreError> in
                let key = labelled ? ContentKey.of(id: id, content: bytes) : nil
                if let known = reusable[id], known.label.fileName == name, known.label.key == key {
                    return .success((known.part, known.label.warnings, key))
                }
                return normalize(name, bytes, key).map { article, words in
                    (ArticlePart(article: article, words: words), article.warnings, key)
                }
            }
            slots.set(index, outcome)
            progress.advance()
        }
        return slots.values(default: .failure(.unreadable("not read")))
    }

    // MARK: - The snapshot on disk

    /// Starts from the snapshot, when there is one: the first load then normalizes only the
    /// files it does not match, and takes out the articles whose files went.
    private func install(_ loaded: Result<(store: Store, labels: [String: StoreSnapshotFile.Label]), SnapshotProblem>?,
                         seconds: Double) {
        guard let snapshots else { return }
        switch loaded {
        case nil:
            return
        case .failure(let problem):
            report("warning: \(problem); building the store from the articles")
        case .success(let (snapshot, labels)):
            store = snapshot
            for (id, label) in labels {
                if let part = snapshot.parts[id] { reusable[id] = (label, part) }
            }
            report("read the store snapshot \(snapshots.path): \(snapshot.articleCount) articles, "
                + "\(snapshot.updateCount) updates in \(String(format: "%.2f", seconds)) s")
        }
    }

    /// Writes the snapshot in the background when the first load changed what it read (or
    /// there was none), and later once enough changed (`resaveShare`, `resaveSeconds`). Saves
    /// queue behind each other; one overtaken by a newer request does nothing.
    private func saveSnapshotIfDue(initial: Bool) {
        guard let snapshots, changesSinceSave > 0 else { return }
        let elapsed = (DispatchTime.now().uptimeNanoseconds - lastSave.uptimeNanoseconds) / 1_000_000_000
        guard initial || changesSinceSave * Self.resaveShare >= store.articleCount || elapsed >= Self.resaveSeconds else {
            return
        }
        var labels: [String: StoreSnapshotFile.Label] = [:]
        labels.reserveCapacity(servedFrom.count)
        for (id, name) in servedFrom {
            guard let state = files[name], let key = state.key else { continue }
            labels[id] = StoreSnapshotFile.Label(fileName: name, key: key, stamp: state.isSettled ? state.stamp : nil, warnings: state.warnings)
        }
        changesSinceSave = 0
        lastSave = DispatchTime.now()
        let request = saveRequests.add(1, ordering: .relaxed).newValue
        let store = self.store
        snapshotQueue.async { [self, labels] in
            guard saveRequests.load(ordering: .relaxed) == request else { return }
            let started = DispatchTime.now()
            let problem = snapshots.save(store, labels: labels)
            // The labels and the write buffer were scratch: their pages go back too.
            _ = liveblog_release_free_memory()
            if let problem {
                report("warning: cannot save the store snapshot: \(problem); a restart will rebuild the store")
            } else {
                report("saved the store snapshot \(snapshots.path): \(store.articleCount) articles in "
                    + "\(String(format: "%.2f", Self.seconds(since: started))) s")
            }
        }
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
