import ArgumentParser
import COpenSSL
import Foundation
import Glibc

/// Asks a running liveblog on this host for `/readyz`: the container HEALTHCHECK, which
/// needs no curl or wget in the image. It reads the settings `serve` reads (address, port,
/// TLS), so it finds the server wherever and however the same environment made it listen.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when the liveblog on this host answers /readyz with 200."
    )

    @Option(help: "The address serve listens on (default: $LIVEBLOG_HOST, else 127.0.0.1; 0.0.0.0 and :: are asked on loopback).")
    var host: String?

    @Option(help: "The port (default: $LIVEBLOG_PORT, else 8080).")
    var port: Int?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Speak HTTPS, as serve does with a certificate (default: $LIVEBLOG_TLS_CERT).", valueName: "file"))
    var tlsCertificate: String?

    static let timeoutSeconds = 2

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let listenHost = host ?? environment["LIVEBLOG_HOST"] ?? "127.0.0.1"
        let chosenPort = port ?? Int(environment["LIVEBLOG_PORT"] ?? "") ?? 8080
        let useTLS = (tlsCertificate ?? environment["LIVEBLOG_TLS_CERT"]).map { !$0.isEmpty } ?? false
        let target = Self.loopbackFor(listenHost)
        let scheme = useTLS ? "https" : "http"
        guard let fd = Self.connect(host: target, port: chosenPort) else {
            print("unhealthy: nothing listens on \(scheme)://\(target):\(chosenPort)")
            throw ExitCode(1)
        }
        defer { close(fd) }
        let hostField = target.contains(":") ? "[\(target)]" : target
        let request = Array("GET /readyz HTTP/1.1\r\nHost: \(hostField)\r\nConnection: close\r\n\r\n".utf8)
        let answer: [UInt8]
        if useTLS {
            guard let bytes = HealthcheckTLS.exchange(request, on: fd) else {
                print("unhealthy: no TLS handshake with \(scheme)://\(target):\(chosenPort)")
                throw ExitCode(1)
            }
            answer = bytes
        } else {
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = recv(fd, &buffer, buffer.count, 0)
            answer = n > 0 ? Array(buffer[0..<n]) : []
        }
        let statusLine = String(decoding: answer, as: UTF8.self)
        guard statusLine.hasPrefix("HTTP/1.1 200") else {
            print("unhealthy: /readyz answered '\(statusLine.prefix(while: { $0 != "\r" }))'")
            throw ExitCode(1)
        }
        print("healthy")
    }

    /// The address to ask: a wildcard listen address is reached on loopback.
    static func loopbackFor(_ listenHost: String) -> String {
        switch listenHost {
        case "", "0.0.0.0": return "127.0.0.1"
        case "::", "[::]": return "::1"
        default:
            return listenHost.hasPrefix("[") && listenHost.hasSuffix("]") ? String(listenHost.dropFirst().dropLast()) : listenHost
        }
    }

    /// A blocking socket connected to the first address of `host` that answers, with send
    /// and receive timeouts; nil when none does.
    static func connect(host: String, port: Int) -> Int32? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0 else { return nil }
        defer { freeaddrinfo(list) }
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return fd }
            close(fd)
        }
        return nil
    }
}

/// The health check's TLS client: one blocking exchange on a connected socket. The peer is
/// this host's own server, so its certificate is not verified: the check is whether the
/// server answers, not who it is.
enum HealthcheckTLS {
    static func exchange(_ request: [UInt8], on fd: Int32) -> [UInt8]? {
        guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
        defer { SSL_CTX_free(context) }
        guard let session = SSL_new(context) else { return nil }
        defer { SSL_free(session) }
        guard SSL_set_fd(session, fd) == 1, SSL_connect(session) == 1 else { return nil }
        var written = 0
        guard request.withUnsafeBytes({ SSL_write_ex(session, $0.baseAddress, $0.count, &written) }) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        var count = 0
        guard SSL_read_ex(session, &buffer, buffer.count, &count) == 1 else { return [] }
        _ = SSL_shutdown(session)
        return Array(buffer[0..<count])
    }
}
