import ArgumentParser
import Foundation
import Glibc

/// Asks a running liveblog on this host for `/readyz`: the container HEALTHCHECK, which
/// needs no curl or wget in the image.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when the liveblog on this host answers /readyz with 200."
    )

    @Option(help: "The port (default: $LIVEBLOG_PORT, else 8080).")
    var port: Int?

    static let timeoutSeconds = 2

    func run() throws {
        let chosen = port ?? Int(ProcessInfo.processInfo.environment["LIVEBLOG_PORT"] ?? "") ?? 8080
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ExitCode(1) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: Self.timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(chosen).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            print("unhealthy: nothing listens on 127.0.0.1:\(chosen)")
            throw ExitCode(1)
        }
        let request = "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = recv(fd, &buffer, buffer.count, 0)
        let statusLine = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
        guard statusLine.hasPrefix("HTTP/1.1 200") else {
            print("unhealthy: /readyz answered '\(statusLine.prefix(while: { $0 != "\r" }))'")
            throw ExitCode(1)
        }
        print("healthy")
    }
}
