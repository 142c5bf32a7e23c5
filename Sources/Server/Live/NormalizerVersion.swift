import CLinux
import Foundation
import Store

/// Which normalizer made a cached article: a digest of everything its output depends on, so
/// that an entry made by other code or other knowledge is never served.
///
/// Derived, never bumped by hand: SHA-256 over every knowledge data file (name and bytes,
/// sorted by name), the identity of the running code (the executable's GNU build id, a hash
/// the linker computes over the linked code), the article format and the cache entry format.
/// Any change to the normalizer's code changes the build id; so does any other change to the
/// binary, which costs one cold load after an upgrade and never a stale article.
public struct NormalizerVersion: Hashable, Sendable, CustomStringConvertible {
    /// Names the cache subfolder of every version, so that old ones can be told apart from
    /// anything else in the cache folder.
    static let folderPrefix = "normalizer-"

    /// Hex of the digest's first 16 bytes.
    public let identifier: String

    /// The version of these knowledge files and this code. Tests use it to show that other
    /// knowledge gives another version; the server uses `current`.
    public init(knowledgeFiles: [(name: String, bytes: [UInt8])], codeIdentity: [UInt8],
                articleFormat: String = Article.format, entryFormat: UInt32 = ArticleCodec.formatVersion) {
        // Every part is framed by its length, so that no two different inputs hash alike.
        var framedParts: [UInt8] = []
        func frame(_ bytes: [UInt8]) {
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { framedParts.append(contentsOf: $0) }
            framedParts.append(contentsOf: bytes)
        }
        for file in knowledgeFiles.sorted(by: { $0.name < $1.name }) {
            frame(Array(file.name.utf8))
            frame(file.bytes)
        }
        frame(codeIdentity)
        frame(Array(articleFormat.utf8))
        frame(withUnsafeBytes(of: entryFormat.littleEndian) { Array($0) })
        let hasher = SHA256()
        hasher.update(framedParts)
        identifier = SHA256.hex(hasher.finish().prefix(16))
    }

    /// The version of this process: computed once, on first use (reading the knowledge
    /// files, about 120 KB, and the build id from memory).
    public static let current = NormalizerVersion(knowledgeFiles: KnowledgeFiles.contents(),
                                                  codeIdentity: CodeIdentity.ofRunningExecutable())

    /// The cache subfolder holding this version's entries.
    var folderName: String { Self.folderPrefix + identifier }

    public var description: String { identifier }
}

/// What identifies the code of the running executable.
enum CodeIdentity {
    /// The GNU build id the linker wrote into the executable. Without one (a linker told not
    /// to), the SHA-256 of the executable file, which costs a read of the binary; without
    /// that either, a random identity, so that the cache misses rather than risk a stale hit.
    static func ofRunningExecutable() -> [UInt8] {
        var buildID = [UInt8](repeating: 0, count: 64)
        let length = Int(liveblog_executable_build_id(&buildID, Int32(buildID.count)))
        if length > 0 { return Array("build-id:".utf8) + buildID.prefix(length) }
        if let digest = digestOfFile("/proc/self/exe") { return Array("exe-sha256:".utf8) + digest }
        return Array("random:".utf8) + (0..<16).map { _ in UInt8.random(in: 0...255) }
    }

    private static func digestOfFile(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { hasher.update($0) }
            }
        } catch {
            return nil
        }
        return hasher.finish()
    }
}
