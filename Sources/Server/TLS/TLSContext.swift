import COpenSSL
import Glibc

/// One server certificate and key with the TLS policy applied: OpenSSL's `SSL_CTX`.
///
/// Built once per (re)load and shared by every loop: once configured, an `SSL_CTX` is only
/// read by `SSL_new` (which takes its own reference), and its session cache locks itself.
/// Connections keep the context they started with, so a reload never disturbs them.
final class TLSContext: @unchecked Sendable {
    /// The `SSL_CTX`. Only the TLS layer (this folder) touches it.
    let handle: OpaquePointer
    let configuration: TLSConfiguration
    /// The leaf certificate's SHA-256 fingerprint, `AB:CD:…`, for logs and checks.
    let fingerprint: String
    /// Problems that do not stop the server but that an operator must hear of (an expired
    /// certificate still loads: clients will refuse it, the operator should renew it).
    let warnings: [String]

    init(configuration: TLSConfiguration) throws(TLSError) {
        let certificateFile = try PEMFile(path: configuration.certificatePath, role: .certificate)
        let keyFile = try PEMFile(path: configuration.privateKeyPath, role: .key)
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw .outOfResources("a TLS context (\(OpenSSLErrorQueue.drain()))")
        }
        do {
            try Self.applyPolicy(to: context)
            try Self.load(certificateFile, keyFile, into: context)
            (fingerprint, warnings) = try Self.inspectCertificate(of: context, path: certificateFile.path)
        } catch {
            SSL_CTX_free(context)
            OpenSSLErrorQueue.clear()
            throw error
        }
        handle = context
        self.configuration = configuration
    }

    deinit { SSL_CTX_free(handle) }

    // MARK: - Policy

    private static func applyPolicy(to context: OpaquePointer) throws(TLSError) {
        func require(_ ok: Bool, _ setting: String) throws(TLSError) {
            if !ok { throw .policyRejected(setting: setting, reason: OpenSSLErrorQueue.drain()) }
        }
        try require(liveblog_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1, "minimum version \(TLSPolicy.minimumVersion)")
        try require(liveblog_SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION) == 1, "maximum version \(TLSPolicy.maximumVersion)")
        try require(SSL_CTX_set_cipher_list(context, TLSPolicy.tls12CipherSuites.joined(separator: ":")) == 1, "TLS 1.2 cipher suites")
        try require(SSL_CTX_set_ciphersuites(context, TLSPolicy.tls13CipherSuites.joined(separator: ":")) == 1, "TLS 1.3 cipher suites")
        try require(liveblog_SSL_CTX_set1_groups_list(context, TLSPolicy.groups.joined(separator: ":")) == 1, "key exchange groups")

        // No compression (CRIME), no renegotiation of any kind, our order of suites, and an
        // EOF without close_notify read as a close: HTTP/1.1 requests delimit themselves, so
        // a truncated one is seen by the parser, and most clients just close the socket.
        _ = SSL_CTX_set_options(context, liveblog_SSL_OP_NO_COMPRESSION
            | liveblog_SSL_OP_NO_RENEGOTIATION
            | liveblog_SSL_OP_CIPHER_SERVER_PREFERENCE
            | liveblog_SSL_OP_PRIORITIZE_CHACHA
            | liveblog_SSL_OP_IGNORE_UNEXPECTED_EOF)

        // Writes: TLSTransport retries a blocked write with the same bytes from the same
        // stream position, but not always from the same address (it may gather them anew),
        // hence ACCEPT_MOVING_WRITE_BUFFER. Partial writes stay off: a write succeeds whole.
        // RELEASE_BUFFERS gives back the 34 KB of record buffers of an idle connection.
        _ = liveblog_SSL_CTX_set_mode(context, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
        // Reads: take everything the socket has in one read(2), not a header then a body.
        liveblog_SSL_CTX_set_read_ahead(context, 1)

        // Resumption: TLS 1.3 and 1.2 tickets (keys are per context, so a reload rotates
        // them), and a server-side cache for TLS 1.2 clients that resume by session id.
        _ = liveblog_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_SERVER))
        _ = liveblog_SSL_CTX_sess_set_cache_size(context, TLSPolicy.sessionCacheSize)
        let idContext = Array(TLSPolicy.sessionIDContext.utf8)
        try require(SSL_CTX_set_session_id_context(context, idContext, UInt32(idContext.count)) == 1, "session id context")

        SSL_CTX_set_alpn_select_cb(context, { _, chosen, chosenLength, offer, offerLength, _ in
            guard let chosen, let chosenLength, let offer else { return SSL_TLSEXT_ERR_ALERT_FATAL }
            // RFC 7301 §3.2: a client that offers only protocols we do not speak (say, h2
            // alone) gets a fatal no_application_protocol alert rather than a connection
            // that would fail on its first bytes.
            guard let range = ALPN.select(from: UnsafeRawBufferPointer(start: offer, count: Int(offerLength))) else {
                return SSL_TLSEXT_ERR_ALERT_FATAL
            }
            chosen.pointee = offer + range.lowerBound
            chosenLength.pointee = UInt8(range.count)
            return SSL_TLSEXT_ERR_OK
        }, nil)

        // Never prompt for a passphrase on the terminal: an encrypted key is an error.
        SSL_CTX_set_default_passwd_cb(context) { _, _, _, _ in 0 }
    }

    // MARK: - Certificate and key

    private static func load(_ certificate: PEMFile, _ key: PEMFile, into context: OpaquePointer) throws(TLSError) {
        guard SSL_CTX_use_certificate_chain_file(context, certificate.path) == 1 else {
            throw .badContents(path: certificate.path, role: .certificate,
                               reason: "not a valid PEM certificate chain (\(OpenSSLErrorQueue.drain()))")
        }
        guard SSL_CTX_use_PrivateKey_file(context, key.path, SSL_FILETYPE_PEM) == 1 else {
            let reason = OpenSSLErrorQueue.drain()
            if reason.contains("mismatch") {
                throw .keyDoesNotMatchCertificate(certificate: certificate.path, key: key.path)
            }
            throw .badContents(path: key.path, role: .key, reason: "not a valid PEM private key (\(reason))")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            OpenSSLErrorQueue.clear()
            throw .keyDoesNotMatchCertificate(certificate: certificate.path, key: key.path)
        }
    }

    private static func inspectCertificate(of context: OpaquePointer, path: String) throws(TLSError) -> (String, [String]) {
        guard let leaf = SSL_CTX_get0_certificate(context) else {
            throw .badContents(path: path, role: .certificate, reason: "no certificate was loaded from it")
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(leaf, EVP_sha256(), &digest, &length) == 1 else {
            throw .badContents(path: path, role: .certificate, reason: "cannot compute its fingerprint (\(OpenSSLErrorQueue.drain()))")
        }
        let fingerprint = digest.prefix(Int(length)).map { hex($0) }.joined(separator: ":")

        var warnings: [String] = []
        if let notAfter = X509_get0_notAfter(leaf), X509_cmp_current_time(notAfter) < 0 {
            warnings.append("the certificate in '\(path)' expired on \(describe(notAfter)); clients will refuse it until it is renewed")
        }
        if let notBefore = X509_get0_notBefore(leaf), X509_cmp_current_time(notBefore) > 0 {
            warnings.append("the certificate in '\(path)' is not valid before \(describe(notBefore)); clients will refuse it until then")
        }
        OpenSSLErrorQueue.clear()
        return (fingerprint, warnings)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// An ASN.1 time as `2026-11-24 20:55:00 UTC`.
    private static func describe(_ time: UnsafePointer<ASN1_TIME>) -> String {
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return "an unreadable date" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }
}
