import Glibc

/// A certificate or key file as read from disk, checked before OpenSSL sees it so that the
/// common mistakes get a precise error (a missing file, a DER file, the two files swapped,
/// a passphrase-protected key) instead of OpenSSL's "no start line".
struct PEMFile {
    let path: String
    let role: TLSError.FileRole
    let text: String

    /// Certificate chains and keys are a few kilobytes; anything far larger is not one.
    static let maximumBytes = 1 << 20

    init(path: String, role: TLSError.FileRole) throws(TLSError) {
        self.path = path
        self.role = role
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw .unreadableFile(path: path, role: role, reason: reason)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .unreadableFile(path: path, role: role, reason: "not a regular file")
        }
        guard Int(status.st_size) <= Self.maximumBytes else {
            throw .badContents(path: path, role: role, reason: "\(status.st_size) bytes is too large for a PEM \(role.rawValue)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == EACCES ? "permission denied (the server runs as uid \(getuid()))" : String(cString: strerror(errno))
            throw .unreadableFile(path: path, role: role, reason: reason)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count <= Self.maximumBytes {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .unreadableFile(path: path, role: role, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        text = String(decoding: bytes, as: UTF8.self)
        try check()
    }

    /// The mistakes a text check can tell apart; what passes goes to OpenSSL.
    private func check() throws(TLSError) {
        if text.allSatisfy({ $0.isWhitespace }) {
            throw .badContents(path: path, role: role, reason: "the file is empty")
        }
        guard text.contains("-----BEGIN ") else {
            throw .badContents(path: path, role: role,
                               reason: "not PEM: no '-----BEGIN' line (a DER file converts with `openssl \(role == .key ? "pkey" : "x509") -inform DER -in FILE -out FILE.pem`)")
        }
        let hasCertificate = text.contains("-----BEGIN CERTIFICATE-----")
        let hasKey = text.contains("PRIVATE KEY-----")
        switch role {
        case .certificate where !hasCertificate:
            throw .badContents(path: path, role: role, reason: hasKey
                ? "holds a private key, not a certificate (are --tls-cert and --tls-key swapped?)"
                : "no '-----BEGIN CERTIFICATE-----' block")
        case .key where !hasKey:
            throw .badContents(path: path, role: role, reason: hasCertificate
                ? "holds a certificate, not a private key (are --tls-cert and --tls-key swapped?)"
                : "no '-----BEGIN PRIVATE KEY-----' block")
        case .key where text.contains("ENCRYPTED"):
            throw .badContents(path: path, role: role,
                               reason: "the key is protected by a passphrase; give liveblog an unencrypted key (`openssl pkey -in FILE -out FILE.plain`) readable only by its user")
        default:
            break
        }
    }
}
