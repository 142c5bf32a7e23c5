import ArgumentParser
import CLinux
import Dispatch
import Foundation
import Glibc
import Routes
import Store
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a folder of articles (.txt as scraped, .json as normalized)."
    )

    @Option(help: "The folder of articles (default: $LIVEBLOG_ARTICLES, else the sample corpus shipped with liveblog).")
    var articles: String?

    @Option(help: "The address to listen on: an IPv4 or IPv6 address or a host name (default: $LIVEBLOG_HOST, else 127.0.0.1; :: for every address).")
    var host: String?

    @Option(help: "The TCP port, 0 for any free one (default: $LIVEBLOG_PORT, else 8080).")
    var port: Int?

    @Option(help: "Event loops, one per core (default: $LIVEBLOG_LOOPS, else the CPUs this process may run on).")
    var loops: Int?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this PEM certificate chain, leaf first (default: $LIVEBLOG_TLS_CERT). Needs --tls-key.", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The certificate's unencrypted PEM private key (default: $LIVEBLOG_TLS_KEY). SIGHUP reloads both files.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("redirect-http"), help: ArgumentHelp("With TLS: also listen for plain HTTP on this port and redirect every request to HTTPS (default: $LIVEBLOG_REDIRECT_HTTP).", valueName: "port"))
    var redirectHTTP: Int?

    @Flag(name: .customLong("no-watch"), help: "Do not watch the folder for changes (SIGHUP still rescans it; default: $LIVEBLOG_NO_WATCH).")
    var noWatch = false

    @Option(name: .customLong("rescan-seconds"), help: ArgumentHelp("Also rescan the whole folder this often, for file systems that send no change events; 0 turns it off (default: $LIVEBLOG_RESCAN_SECONDS, else 60).", valueName: "seconds"))
    var rescanSeconds: Int?

    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Refuse article files larger than this many bytes, unread (default: $LIVEBLOG_MAX_FILE_SIZE, else 16777216).", valueName: "bytes"))
    var maxFileSize: Int?
    @Flag(name: .customLong("access-log"), help: "Write one JSON line per request to standard output (default: $LIVEBLOG_ACCESS_LOG, else off).")
    var accessLog = false

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Keep normalized articles here so a restart reads only changed files; 'none' turns it off (default: $LIVEBLOG_CACHE_DIR, else $XDG_CACHE_HOME/liveblog, else ~/.cache/liveblog).", valueName: "folder"))
    var cacheDirectory: String?

    func validate() throws {
        if let rescanSeconds, rescanSeconds < 0 { throw ValidationError("--rescan-seconds must be 0 or more, got \(rescanSeconds)") }
        if let maxFileSize, maxFileSize < 1 { throw ValidationError("--max-file-size must be at least 1, got \(maxFileSize)") }
        if let redirectHTTP, !(0...65535).contains(redirectHTTP) { throw ValidationError("--redirect-http must be from 0 to 65535, got \(redirectHTTP)") }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
        if let loops, !(1...256).contains(loops) { throw ValidationError("--loops must be from 1 to 256, got \(loops)") }
    }

    func run() throws {
        SignalHandlers.blockInEveryThread()
        let environment = ProcessInfo.processInfo.environment
        let settings = try ServerSettings(
            articles: articles ?? environment["LIVEBLOG_ARTICLES"],
            host: host ?? environment["LIVEBLOG_HOST"],
            port: port.map(String.init) ?? environment["LIVEBLOG_PORT"],
            loops: loops.map(String.init) ?? environment["LIVEBLOG_LOOPS"],
            watch: noWatch ? false : !["1", "true", "yes"].contains(environment["LIVEBLOG_NO_WATCH"]?.lowercased() ?? ""),
            rescanSeconds: rescanSeconds.map(String.init) ?? environment["LIVEBLOG_RESCAN_SECONDS"],
            maximumFileBytes: maxFileSize.map(String.init) ?? environment["LIVEBLOG_MAX_FILE_SIZE"])

        signal(SIGPIPE, SIG_IGN)
        let tls = try HTTPSSettings(certificate: tlsCertificate ?? environment["LIVEBLOG_TLS_CERT"],
                                    key: tlsKey ?? environment["LIVEBLOG_TLS_KEY"],
                                    redirectPort: redirectHTTP.map(String.init) ?? environment["LIVEBLOG_REDIRECT_HTTP"])
        // The pair is checked before the corpus loads and anything listens: a bad file stops
        // the start, named.
        let contexts = try tls.map { settings throws(CommandFailure) in try settings.loadContexts() }
        let metrics = ServerMetrics()
        let folder = ArticleFolder(path: settings.articles, maximumFileBytes: settings.maximumFileBytes)
        do {
            _ = try folder.names()
        } catch {
            throw CommandFailure(error.description)
        }
        let progress = LoadProgress()
        let routers = RouterBox(Router(store: .empty, metrics: metrics, readiness: progress))
        let cache = Self.openCache(CacheSettings.resolve(flag: cacheDirectory, environment: environment))
        let cacheHits = Atomic<Int>(0)
        let corpus = LiveCorpus(folder: folder, routers: routers, progress: progress, metrics: metrics,
                                snapshots: cache.map(StoreSnapshotFile.init),
                                normalize: { name, bytes, key in
                                    Self.normalize(name: name, bytes: bytes, key: key, cache: cache, hits: cacheHits)
                                },
                                report: CorpusReport.say)
        let hub = StreamHub(counters: metrics.streams)
        corpus.onChange { change, router in hub.publish(change, router: router) }
        let accessLog = try AccessLogSetting.enabled(flag: self.accessLog, environment: environment["LIVEBLOG_ACCESS_LOG"])
            ? AccessLog { metrics.accessLogDropped.add($0, ordering: .relaxed) } : nil

        let listener: Listener
        do {
            listener = try Listener(host: settings.host, port: settings.port, sockets: settings.loops)
        } catch {
            throw CommandFailure(error.description)
        }
        let makeTransport: @Sendable (Int32) -> Transport
        if let contexts {
            makeTransport = { contexts.makeTransport(fileDescriptor: $0) }
        } else {
            makeTransport = { PlainTransport(fileDescriptor: $0) }
        }
        let server = try HTTPServer(listener: listener, routers: routers, metrics: metrics, streams: hub, loopCount: settings.loops,
                                    accessLog: accessLog, makeTransport: makeTransport)
        try tls?.startRedirect(host: settings.host, httpsPort: listener.port, on: server, loops: settings.loops)
        // Signals never wait: a stop ends the loops (and with them the process, even in the
        // middle of a load); a reload is queued behind whatever the corpus is doing.
        let signals = SignalHandlers(
            stop: { server.stop() },
            reload: {
                contexts.map(HTTPSSettings.reload)
                corpus.refreshInBackground(.everything)
            })
        accessLog?.start()
        server.start()
        FileHandle.standardOutput.write(Data("listening on \(contexts == nil ? "http" : "https")://\(listener.displayAddress)\n".utf8))
        let watcher: InotifyWatcher?
        if settings.watch {
            do {
                let inotify = try InotifyWatcher(path: settings.articles)
                try inotify.start { change in corpus.refreshInBackground(change) }
                watcher = inotify
            } catch {
                CorpusReport.say("warning: \(error); changes are seen only by rescans and SIGHUP")
                watcher = nil
            }
        } else {
            watcher = nil
        }
        if settings.rescanSeconds > 0 { corpus.rescanPeriodically(every: settings.rescanSeconds) }
        corpus.loadInBackground { store, refused, fromSnapshot, seconds in
            metrics.recordLoad(reload: false, seconds: seconds, succeeded: true)
            let cached = cache == nil ? ""
                : ", \(cacheHits.load(ordering: .relaxed)) from the normalization cache, \(fromSnapshot) from the store snapshot"
            CorpusReport.say("loaded \(store.articleCount) articles (\(refused) refused\(cached)), \(store.updateCount) updates, "
                + "\(store.actorCount) actors from \(settings.articles) in \(String(format: "%.2f", seconds)) s")
        }
        server.waitUntilStopped()
        watcher?.stop()
        accessLog?.finish()
        withExtendedLifetime((signals, watcher)) {}
        CorpusReport.say("stopped")
    }
}

extension ServeCommand {
    static func openCache(_ settings: CacheSettings) -> NormalizationCache? {
        switch settings {
        case .directory(let path):
            return NormalizationCache(directory: path, version: .current) { CorpusReport.say("warning: \($0)") }
        case .off:
            return nil
        case .unavailable(let why):
            CorpusReport.say("warning: \(why)")
            return nil
        }
    }

    /// A file's article: from the cache when the same bytes were normalized by the same
    /// normalizer before (with its folded words, so the index need not fold them), else
    /// normalized now and kept, with its words, for the next start.
    /// `key`: the file's content key, when the caller computed it already.
    static func normalize(name: String, bytes: [UInt8], key given: ContentKey? = nil, cache: NormalizationCache?,
                          hits: borrowing Atomic<Int>) -> Result<(Article, FoldedWords?), StoreError> {
        guard let cache else { return ArticleFile.article(name: name, bytes: bytes).map { ($0, nil) } }
        let key = given ?? ContentKey.of(id: ArticleFile.articleID(ofFileNamed: name), content: bytes)
        if let (article, words) = cache.article(for: key) {
            hits.add(1, ordering: .relaxed)
            return .success((article, words))
        }
        return ArticleFile.article(name: name, bytes: bytes).map { article in
            // Folded for the entry, not held: a first load would hold every article's words.
            cache.save(article, words: FoldedWords(article: article), for: key)
            return (article, nil)
        }
    }
}

/// The settings of `serve`, resolved from flags and environment and checked.
struct ServerSettings {
    var articles: String
    var host: String
    var port: Int
    var loops: Int
    var watch: Bool
    var rescanSeconds: Int
    var maximumFileBytes: Int

    init(articles: String?, host: String?, port: String?, loops: String?, watch: Bool = true,
         rescanSeconds: String? = nil, maximumFileBytes: String? = nil) throws {
        if let articles {
            self.articles = articles
        } else {
            self.articles = try SampleCorpus.directory()
        }
        self.host = host ?? "127.0.0.1"
        guard let parsedPort = Int(port ?? "8080"), (0...65535).contains(parsedPort) else {
            throw CommandFailure("LIVEBLOG_PORT must be a port number from 0 to 65535, got '\(port ?? "")'")
        }
        self.port = parsedPort
        guard let parsedLoops = loops.map({ Int($0) }) ?? Int(liveblog_allowed_cpu_count()), (1...256).contains(parsedLoops) else {
            throw CommandFailure("LIVEBLOG_LOOPS must be a number from 1 to 256, got '\(loops ?? "")'")
        }
        self.loops = parsedLoops
        self.watch = watch
        guard let rescan = Int(rescanSeconds ?? "60"), rescan >= 0 else {
            throw CommandFailure("LIVEBLOG_RESCAN_SECONDS must be a whole number of seconds, 0 or more, got '\(rescanSeconds ?? "")'")
        }
        self.rescanSeconds = rescan
        guard let limit = Int(maximumFileBytes ?? String(ArticleFolder.defaultMaximumFileBytes)), limit >= 1 else {
            throw CommandFailure("LIVEBLOG_MAX_FILE_SIZE must be a number of bytes, 1 or more, got '\(maximumFileBytes ?? "")'")
        }
        self.maximumFileBytes = limit
    }
}

/// SIGTERM and SIGINT stop the server; SIGHUP reloads.
///
/// The signals are blocked in every thread (the mask is set before any thread starts, and
/// threads inherit it) and taken synchronously with `sigwait` on one thread of their own: no
/// signal can arrive before its handler exists, and no handler runs inside an event loop.
final class SignalHandlers {
    static let handled = [SIGTERM, SIGINT, SIGHUP]

    /// Call first, before any thread is started.
    static func blockInEveryThread() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in handled { sigaddset(&set, number) }
        return set
    }

    private let thread: Thread

    init(stop: @escaping @Sendable () -> Void, reload: @escaping @Sendable () -> Void) {
        thread = Thread {
            var set = SignalHandlers.signalSet()
            while true {
                var number: Int32 = 0
                guard sigwait(&set, &number) == 0 else { continue }
                if number == SIGHUP {
                    reload()
                } else {
                    stop()
                }
            }
        }
        thread.name = "liveblog-signals"
        thread.start()
    }
}

/// A failure of the command, printed as `liveblog: <message>` with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
