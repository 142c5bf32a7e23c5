import ArgumentParser
import CLinux
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

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
        if let loops, !(1...256).contains(loops) { throw ValidationError("--loops must be from 1 to 256, got \(loops)") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let settings = try ServerSettings(
            articles: articles ?? environment["LIVEBLOG_ARTICLES"],
            host: host ?? environment["LIVEBLOG_HOST"],
            port: port.map(String.init) ?? environment["LIVEBLOG_PORT"],
            loops: loops.map(String.init) ?? environment["LIVEBLOG_LOOPS"])

        // Before any thread exists: every thread inherits the mask, so the signals wait for
        // `sigwait` below instead of landing on a thread with the default (fatal) action, or
        // being lost in the moment a handler is being installed.
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, number) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)
        let metrics = ServerMetrics()
        let store = try CorpusReport.load(settings.articles)
        let routers = RouterBox(Router(store: store, metrics: metrics))

        let listener: Listener
        do {
            listener = try Listener(host: settings.host, port: settings.port, sockets: settings.loops)
        } catch {
            throw CommandFailure(error.description)
        }
        let server = try HTTPServer(listener: listener, routers: routers, metrics: metrics, loopCount: settings.loops) {
            PlainTransport(fileDescriptor: $0)
        }
        server.start()
        FileHandle.standardOutput.write(Data("listening on http://\(listener.displayAddress)\n".utf8))
        // The main thread waits for signals: SIGHUP reloads while the loops keep serving the
        // old store; SIGTERM and SIGINT stop.
        while true {
            var received: Int32 = 0
            guard sigwait(&signals, &received) == 0 else { continue }
            guard received == SIGHUP else { break }
            if let store = try? CorpusReport.load(settings.articles) {
                routers.replace(with: Router(store: store, metrics: metrics))
                CorpusReport.say("reloaded \(settings.articles)")
            }
        }
        server.stop()
        server.waitUntilStopped()
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

/// A failure of the command, printed as `liveblog: <message>` with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
