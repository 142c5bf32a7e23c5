import COpenSSL

/// SHA-256 through the system OpenSSL's EVP interface, fed in pieces.
///
/// One hasher per digest; the algorithm itself is fetched once per process, since OpenSSL 3
/// would otherwise look it up again for every file.
struct SHA256: ~Copyable {
    static let byteCount = 32
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex2(context, Self.algorithm.pointer, nil) == 1 else {
            fatalError("liveblog: OpenSSL cannot start a SHA-256 digest")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The 32-byte digest of everything fed so far.
    consuming func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, Int(length) == Self.byteCount else {
            fatalError("liveblog: OpenSSL cannot finish a SHA-256 digest")
        }
        return Array(digest.prefix(Self.byteCount))
    }

    /// The fetched algorithm, shared read-only by every thread.
    private struct Algorithm: @unchecked Sendable { let pointer: OpaquePointer }

    private static let algorithm: Algorithm = {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else { fatalError("liveblog: OpenSSL has no SHA-256") }
        return Algorithm(pointer: md)
    }()

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
