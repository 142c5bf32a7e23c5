/// Why TLS could not be set up: each case names the file (when there is one) and what a user
/// can do about it. Printed as `liveblog: <description>` at start, logged on a failed reload.
enum TLSError: Error, CustomStringConvertible, Equatable {
    /// The file is not there, not a regular file, or not readable by this user.
    case unreadableFile(path: String, role: FileRole, reason: String)
    /// The file is readable but holds no usable PEM of the expected kind.
    case badContents(path: String, role: FileRole, reason: String)
    /// Certificate and key load, but the key is not the certificate's.
    case keyDoesNotMatchCertificate(certificate: String, key: String)
    /// OpenSSL refused a setting of the policy (an OpenSSL built without what we ask for).
    case policyRejected(setting: String, reason: String)
    /// OpenSSL could not allocate a context or a connection.
    case outOfResources(String)

    enum FileRole: String, Sendable {
        case certificate = "certificate"
        case key = "private key"
    }

    var description: String {
        switch self {
        case .unreadableFile(let path, let role, let reason):
            return "TLS \(role.rawValue) file '\(path)': \(reason)"
        case .badContents(let path, let role, let reason):
            return "TLS \(role.rawValue) file '\(path)': \(reason)"
        case .keyDoesNotMatchCertificate(let certificate, let key):
            return "TLS private key file '\(key)' does not belong to the certificate in '\(certificate)' (their public keys differ)"
        case .policyRejected(let setting, let reason):
            return "OpenSSL refused the TLS setting \(setting): \(reason)"
        case .outOfResources(let what):
            return "OpenSSL could not allocate \(what)"
        }
    }
}
