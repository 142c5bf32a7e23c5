import Foundation
import Glibc
import Store
import XCTest

/// The built `liveblog` binary, started on a free loopback port with an articles folder the
/// test writes, and stopped (by its PID) at the end of the test.
final class LiveblogProcess {
    let process = Process()
    let articles: URL
    private(set) var address = ""
    private(set) var port: UInt16 = 0
    private(set) var isHTTPS = false
    private let stderrFile: URL
    private let stdoutPipe = Pipe()

    /// Starts `liveblog serve` on `host` port 0 and waits (bounded) for its `listening on` line,
    /// then, unless `waitUntilReady` is false, for `/readyz` to say the first load is done.
    /// `openFileLimit`: run under `ulimit -n` (through `sh`, which then becomes liveblog by `exec`).
    init(articles: URL, host: String = "127.0.0.1", extraArguments: [String] = [],
         environment: [String: String] = [:], openFileLimit: Int? = nil, waitUntilReady: Bool = true) throws {
        self.articles = articles
        stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("liveblog-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let arguments = ["serve", "--articles", articles.path, "--host", host, "--port", "0", "--loops", "2"] + extraArguments
        if let openFileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", try Self.locateBinary().path] + arguments
        } else {
            process.executableURL = try Self.locateBinary()
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        // Tests never write the user's own cache; the cache tests give a folder of their own.
        env["LIVEBLOG_CACHE_DIR"] = "none"
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = stdoutPipe
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        let line = try readLine(timeout: 20)
        guard line.contains("listening on "), let range = line.range(of: "://") else {
            throw Failure("no 'listening on' line; got '\(line)'; stderr: \(stderr)")
        }
        address = String(line[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw Failure("cannot read the port from '\(line)'")
        }
        self.port = port
        isHTTPS = line.contains("https://")
        if waitUntilReady { try self.waitUntilReady() }
    }

    /// Polls `/readyz` until it answers 200, bounded (over HTTPS through curl, which checks
    /// nothing of the certificate here: the tests that care check it themselves).
    func waitUntilReady(timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if isHTTPS {
                let host = address.hasPrefix("[") ? "[::1]" : "127.0.0.1"
                if let (_, code) = try? ChildProcess.run("/usr/bin/env", ["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}",
                                                                          "https://\(host):\(port)/readyz"]),
                   code == "200" {
                    return
                }
            } else if let client = try? connect(timeoutSeconds: 5),
               let response = try? client.exchange("GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
               response.status == 200 {
                return
            }
            if !process.isRunning { throw Failure("liveblog exited with \(process.terminationStatus): \(stderr)") }
            usleep(20_000)
        }
        throw Failure("/readyz did not answer 200 within \(timeout) s; stderr: \(stderr)")
    }

    /// The folder that holds the test bundle holds the `liveblog` product too.
    static func locateBinary() throws -> URL {
        var candidates = Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        candidates.append(Bundle.main.bundleURL)
        for directory in candidates {
            let url = directory.appendingPathComponent("liveblog")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw Failure("the liveblog binary is not next to the test bundle (looked in \(candidates.map(\.path))); run `swift build` first")
    }

    /// The next line of standard output (the `listening on` line, then access log lines).
    func readLine(timeout: TimeInterval) throws -> String {
        let handle = stdoutPipe.fileHandleForReading
        let deadline = Date().addingTimeInterval(timeout)
        var collected = Data()
        while Date() < deadline {
            var pollfd = Glibc.pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&pollfd, 1, 200) > 0 else {
                if !process.isRunning { throw Failure("liveblog exited with \(process.terminationStatus): \(stderr)") }
                continue
            }
            var byte: UInt8 = 0
            guard Glibc.read(handle.fileDescriptor, &byte, 1) == 1 else {
                throw Failure("liveblog closed its output before 'listening on'; stderr: \(stderr)")
            }
            if byte == 0x0A { return String(decoding: collected, as: UTF8.self) }
            collected.append(byte)
        }
        throw Failure("no line on standard output within \(timeout) s; stderr: \(stderr)")
    }

    /// CPU time (user + system) the server has used so far, in seconds.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    var stderr: String {
        (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
    }

    /// Waits (bounded) until standard error holds `text`.
    func waitForStderr(containing text: String, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !stderr.contains(text) {
            guard Date() < deadline else { throw Failure("no '\(text)' on standard error within \(timeout) s: \(stderr)") }
            usleep(20_000)
        }
    }

    /// Sends `signal` and waits (bounded) for the exit; returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 10) throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw Failure("liveblog did not exit within \(timeout) s of signal \(signal)")
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: stderrFile)
    }

    func connect(timeoutSeconds: Int = 10) throws -> RawClient {
        try RawClient(host: address.hasPrefix("[") ? "::1" : "127.0.0.1", port: port, timeoutSeconds: timeoutSeconds)
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A folder of normalized articles (`.json`, the form the store loads without normalizing).
enum TestCorpus {
    static func make(articles: [Article], extraFiles: [String: String] = [:]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liveblog-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        for article in articles {
            try encoder.encode(article).write(to: folder.appendingPathComponent(article.id + ".json"))
        }
        for (name, text) in extraFiles {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// An article of `count` updates, one an hour from noon on 2021-03-04, with text of my own.
    static func article(id: String, count: Int) -> Article {
        let updates = (0..<count).map { index -> Update in
            let time = Instant(year: 2021, month: 3, day: 4, hour: 12 + index % 12, minute: index / 12)!
            return Update(id: "\(id)/\(time.rfc3339)", time: time, article: id,
                          headline: "Harbour ferry service number \(index) resumes after the storm",
                          body: ["The port authority said boats would run every half hour until dusk."])
        }
        return Article(id: id, date: "2021-03-04", lede: ["Weather news from the coast."],
                       updates: updates.reversed(), actors: [])
    }
}
