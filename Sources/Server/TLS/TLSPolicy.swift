/// What this server accepts from a TLS client, in one place: the choices a security review
/// reads, kept apart from the code that applies them.
enum TLSPolicy {
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996); 1.2 is the oldest a client may use.
    static let minimumVersion = "TLSv1.2"
    static let maximumVersion = "TLSv1.3"

    /// TLS 1.2 suites: ephemeral ECDH (forward secrecy) with an AEAD cipher only. No RSA key
    /// exchange, no finite-field DH, no CBC, no SHA-1 MACs. The order is the server's
    /// preference; ChaCha20 is moved first for clients that prefer it (no AES hardware).
    static let tls12CipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ]

    /// TLS 1.3 suites are all AEAD with ephemeral key exchange; OpenSSL's three defaults.
    static let tls13CipherSuites = [
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
    ]

    /// Key-exchange groups, fastest first. No finite-field groups.
    static let groups = ["X25519", "P-256", "P-384"]

    /// Application protocols, most preferred first (RFC 7301). The engine speaks HTTP/1.x only.
    static let applicationProtocols = ["http/1.1", "http/1.0"]

    /// Sessions kept for TLS 1.2 resumption by session id (tickets need no server state).
    static let sessionCacheSize = 20_480
    /// Identifies this server's sessions in the cache (any constant, at most 32 bytes).
    static let sessionIDContext = "liveblog"
}
