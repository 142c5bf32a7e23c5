import COpenSSL
import Foundation
import Glibc
import XCTest

/// A throwaway certificate authority and server certificates made with the `openssl`
/// command in a temporary folder, as an operator would make them.
final class TestCertificates {
    let folder: URL
    var caCertificate: String { folder.appendingPathComponent("ca.pem").path }

    init() throws {
        guard let openssl = TestCertificates.which("openssl") else {
            throw Failure("these tests make certificates with the `openssl` command, which is not on PATH (apt-get install openssl)")
        }
        self.openssl = openssl
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("liveblog-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2", "-subj", "/CN=liveblog test CA"])
    }

    private let openssl: String

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A server certificate for 127.0.0.1, ::1 and localhost signed by the CA;
    /// returns (certificate path, key path).
    @discardableResult
    func makeServerCertificate(named name: String, keyType: String = "ec") throws -> (certificate: String, key: String) {
        let key = path("\(name).key"), request = path("\(name).csr"), certificate = path("\(name).pem")
        let extensions = path("\(name).ext")
        try Data("subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: URL(fileURLWithPath: extensions))
        let keyOptions = keyType == "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        try run(["req"] + keyOptions + ["-nodes", "-keyout", key, "-out", request, "-subj", "/CN=\(name)"])
        try run(["x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", path("ca.key"), "-CAcreateserial",
                 "-days", "2", "-extfile", extensions, "-out", certificate])
        return (certificate, key)
    }

    /// The SHA-256 fingerprint as `openssl x509 -fingerprint` prints it (AB:CD:…).
    func fingerprint(of certificate: String) throws -> String {
        let output = try run(["x509", "-noout", "-fingerprint", "-sha256", "-in", certificate])
        guard let equals = output.firstIndex(of: "=") else { throw Failure("unexpected fingerprint output '\(output)'") }
        return output[output.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let (status, text) = try ChildProcess.run(openssl, arguments)
        guard status == 0 else { throw Failure("openssl \(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }

    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

/// An OpenSSL client for tests, on a socket of its own: blocking or driven step by step.
final class TestTLSClient {
    let context: OpaquePointer
    let session: OpaquePointer
    let fileDescriptor: Int32

    struct Options {
        var caFile: String?
        var minimumVersion = TLS1_2_VERSION
        var maximumVersion = TLS1_3_VERSION
        var applicationProtocols: [String] = ["http/1.1"]
        /// TLS 1.0/1.1 need OpenSSL's security level 0 to be offered at all.
        var securityLevel: Int32?
        var ciphers: String?
        var resuming: OpaquePointer?
    }

    init(fileDescriptor: Int32, options: Options) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw Failure("SSL_CTX_new failed") }
        self.context = context
        if let level = options.securityLevel { SSL_CTX_set_security_level(context, level) }
        if let ciphers = options.ciphers { _ = SSL_CTX_set_cipher_list(context, ciphers) }
        _ = liveblog_SSL_CTX_set_min_proto_version(context, options.minimumVersion)
        _ = liveblog_SSL_CTX_set_max_proto_version(context, options.maximumVersion)
        if let caFile = options.caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else { throw Failure("cannot load CA \(caFile)") }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        }
        if !options.applicationProtocols.isEmpty {
            var wire: [UInt8] = []
            for name in options.applicationProtocols { wire.append(UInt8(name.utf8.count)); wire += Array(name.utf8) }
            _ = SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count))
        }
        guard let session = SSL_new(context) else { throw Failure("SSL_new failed") }
        self.session = session
        self.fileDescriptor = fileDescriptor
        SSL_set_fd(session, fileDescriptor)
        _ = liveblog_SSL_set_tlsext_host_name(session, "localhost")
        if let resuming = options.resuming { SSL_set_session(session, resuming) }
        SSL_set_connect_state(session)
    }

    deinit {
        SSL_free(session)
        SSL_CTX_free(context)
    }

    enum Step: Equatable { case done, wantRead, wantWrite, failed(String), closed }

    func step(_ result: Int32) -> Step {
        if result == 1 { return .done }
        switch SSL_get_error(session, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        default:
            var reasons: [String] = []
            while case let code = ERR_get_error(), code != 0 {
                reasons.append(ERR_reason_error_string(code).map { String(cString: $0) } ?? "\(code)")
            }
            return .failed(reasons.joined(separator: "; "))
        }
    }

    func handshakeStep() -> Step { step(SSL_do_handshake(session)) }

    var version: String { String(cString: SSL_get_version(session)) }
    var cipher: String { SSL_get_current_cipher(session).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? "" }
    var applicationProtocol: String? {
        var name: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(session, &name, &length)
        return name.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self) }
    }
    var reused: Bool { SSL_session_reused(session) == 1 }

    /// The SHA-256 fingerprint of the server's certificate, as `openssl x509` prints it.
    var peerFingerprint: String? {
        guard let certificate = SSL_get1_peer_certificate(session) else { return nil }
        defer { X509_free(certificate) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else { return nil }
        return digest.prefix(Int(length)).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// Keeps the session for a later resumption (the caller frees it with SSL_SESSION_free).
    func copySession() -> OpaquePointer? { SSL_get1_session(session) }
}

/// A connected pair of non-blocking stream sockets: one end for the server transport,
/// one for a test client.
func makeSocketPair(sendBufferBytes: Int32? = nil) throws -> (server: Int32, client: Int32) {
    var fds: [Int32] = [0, 0]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
        throw Failure("socketpair: \(String(cString: strerror(errno)))")
    }
    if var size = sendBufferBytes {
        for fd in fds {
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
    }
    return (fds[0], fds[1])
}
