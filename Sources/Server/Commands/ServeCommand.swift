import ArgumentParser
import CLinux
import Dispatch
import Foundation
import Glibc
import Routes
import Store

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

    @Flag(name: .customLong("access-log"), help: "Write one JSON line per request to standard output (default: $LIVEBLOG_ACCESS_LOG, else off).")
    var accessLog = false

    func validate() throws {
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
            loops: loops.map(String.init) ?? environment["LIVEBLOG_LOOPS"])

        signal(SIGPIPE, SIG_IGN)
        let tls = try HTTPSSettings(certificate: tlsCertificate ?? environment["LIVEBLOG_TLS_CERT"],
                                    key: tlsKey ?? environment["LIVEBLOG_TLS_KEY"],
                                    redirectPort: redirectHTTP.map(String.init) ?? environment["LIVEBLOG_REDIRECT_HTTP"])
        // The pair is checked before the corpus loads and anything listens: a bad file stops
        // the start, named.
        let contexts = try tls.map { settings throws(CommandFailure) in try settings.loadContexts() }
        let metrics = ServerMetrics()
        let accessLog = try AccessLogSetting.enabled(flag: self.accessLog, environment: environment["LIVEBLOG_ACCESS_LOG"])
            ? AccessLog { metrics.accessLogDropped.add($0, ordering: .relaxed) } : nil
        let store = try CorpusReport.load(settings.articles, metrics: metrics)
        let routers = RouterBox(Router(store: store, metrics: metrics))
        let hub = StreamHub(counters: metrics.streams)
        hub.publish(StoreChange(generation: 1, upserted: [], removed: [], initial: true), router: routers.router)

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
        let redirect = try tls?.startRedirect(host: settings.host, httpsPort: listener.port)
        let signals = SignalHandlers(
            stop: {
                redirect?.stop()
                server.stop()
            },
            reload: {
                // The certificate first: it is quick, and independent of the corpus.
                contexts.map(HTTPSSettings.reload)
                guard let store = try? CorpusReport.load(settings.articles, metrics: metrics, reload: true) else { return }
                let old = routers.router
                let router = Router(store: store, metrics: metrics)
                routers.replace(with: router)
                hub.publish(StoreChange.between(old.store, store, generation: UInt64(routers.generation)), router: router)
                CorpusReport.say("reloaded \(settings.articles)")
            })
        accessLog?.start()
        server.start()
        FileHandle.standardOutput.write(Data("listening on \(contexts == nil ? "http" : "https")://\(listener.displayAddress)\n".utf8))
        server.waitUntilStopped()
        accessLog?.finish()
        withExtendedLifetime(signals) {}
        CorpusReport.say("stopped")
    }
}

/// The settings of `serve`, resolved from flags and environment and checked.
struct ServerSettings {
    var articles: String
    var host: String
    var port: Int
    var loops: Int

    init(articles: String?, host: String?, port: String?, loops: String?) throws {
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
