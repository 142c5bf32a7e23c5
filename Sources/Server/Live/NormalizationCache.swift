import Foundation
import Glibc
import Store

/// A folder of normalized articles, so that a restart normalizes only the files whose content
/// changed (`--cache-dir`).
///
/// `<directory>/normalizer-<version>/<content key>.article`, each file one `ArticleCodec`
/// entry. The version folder keeps entries of other code or knowledge apart: they are never
/// looked at, and their folders are pruned once no process has used them for a week. An entry
/// is written whole or not at all (a temporary file in the same folder, then a rename), and a
/// damaged one is refused by its checksum, so a lookup gives the article the key names or
/// nothing.
///
/// The cache is a convenience: when the folder cannot be created or written, the articles are
/// served all the same, `warn` says so once, and nothing throws.
///
/// Safe from many threads at once: lookups and saves touch only their own files.
final class NormalizationCache: @unchecked Sendable {
    /// An entry larger than this is not read (an article of the largest accepted file takes a
    /// fraction of it), so a damaged file cannot make a lookup allocate without bound.
    static let maximumEntryBytes = 256 << 20
    /// A version folder no process has opened or written for this long belongs to a binary
    /// that is gone; it is removed.
    static let staleVersionAge: TimeInterval = 7 * 86_400
    /// A temporary file this old is what a save that crashed left behind.
    static let staleTemporaryAge: TimeInterval = 3_600
    static let entrySuffix = ".article"
    static let temporaryPrefix = ".saving-"

    /// The cache folder as given.
    let directory: String
    /// This version's subfolder, where every entry of this process lives.
    let folder: String
    private let versionFolderName: String
    /// Whether saves can succeed (the folder exists and is writable).
    let isWritable: Bool
    private let warn: @Sendable (String) -> Void
    private let warnedLock = NSLock()
    private var hasWarned = false

    /// Opens (and creates when needed) `directory`'s folder for `version`. A folder that
    /// cannot be created or written is a warning: lookups then find what is there, if
    /// anything, and saves do nothing. Pruning of stale versions runs in the background.
    init(directory: String, version: NormalizerVersion, warn: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        versionFolderName = version.folderName
        folder = (directory as NSString).appendingPathComponent(version.folderName)
        self.warn = warn
        switch Self.makeFolder(folder) {
        case nil:
            isWritable = true
            // Marks this version as in use, for the pruning of other processes.
            utimensat(AT_FDCWD, folder, nil, 0)
            DispatchQueue.global(qos: .utility).async { [self] in pruneStaleFolders() }
        case let problem?:
            isWritable = false
            warnOnce("cannot use the normalization cache \(directory): \(problem); serving without it")
        }
    }

    /// The article cached for `key`; nil when there is none, or when the entry is truncated,
    /// damaged or of another entry format.
    func article(for key: ContentKey) -> (article: Article, words: FoldedWords?)? {
        guard let bytes = Self.readEntry(atPath: path(for: key)) else { return nil }
        return try? ArticleCodec.decodeEntry(bytes)
    }

    /// Keeps `article` as the normalization of `key`, replacing any entry there. Best effort:
    /// a failure is a warning (once per process), never an error.
    func save(_ article: Article, words: FoldedWords? = nil, for key: ContentKey) {
        guard isWritable else { return }
        let entry = ArticleCodec.encode(article, words: words)
        if let problem = Self.writeAtomically(entry, toPath: path(for: key), folder: folder) {
            warnOnce("cannot save to the normalization cache \(folder): \(problem); "
                     + "articles are served, but a restart will normalize them again")
        }
    }

    /// Where the entry of `key` lives.
    func path(for key: ContentKey) -> String {
        (folder as NSString).appendingPathComponent(key.description + Self.entrySuffix)
    }

    /// Removes the folders of other versions that no process has used for `staleVersionAge`,
    /// and temporary files of crashed saves in this version's folder. Anything in the cache
    /// folder that is not a version folder is left alone.
    func pruneStaleFolders(now: Date = Date()) {
        let files = FileManager.default
        func isOlder(_ path: String, than age: TimeInterval) -> Bool {
            guard let modified = (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return false }
            return now.timeIntervalSince(modified) > age
        }
        for name in (try? files.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix(NormalizerVersion.folderPrefix) && name != versionFolderName {
            let path = (directory as NSString).appendingPathComponent(name)
            if isOlder(path, than: Self.staleVersionAge) { try? files.removeItem(atPath: path) }
        }
        for name in (try? files.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(Self.temporaryPrefix) {
            let path = (folder as NSString).appendingPathComponent(name)
            if isOlder(path, than: Self.staleTemporaryAge) { try? files.removeItem(atPath: path) }
        }
    }

    private func warnOnce(_ message: String) {
        warnedLock.lock()
        let first = !hasWarned
        hasWarned = true
        warnedLock.unlock()
        if first { warn(message) }
    }

    /// Creates `path` and its parents (owner only, as caches are); nil when it exists and is
    /// writable, else why not.
    private static func makeFolder(_ path: String) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            return "cannot create \(path) (\(reason(error)))"
        }
        guard access(path, W_OK) == 0 else { return "\(path) is not writable (\(String(cString: strerror(errno))))" }
        return nil
    }

    private static func reason(_ error: any Error) -> String {
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return (error as NSError).localizedDescription
    }

    /// The whole file at `path`, or nil when it is absent, unreadable or implausibly large.
    private static func readEntry(atPath path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size >= 0, status.st_size <= maximumEntryBytes else { return nil }
        let size = Int(status.st_size)
        var complete = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n > 0 {
                    done += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            initialized = done
            complete = done == size
        }
        return complete ? bytes : nil
    }

    /// Writes `bytes` to a new temporary file in `folder` and renames it to `path`, so that a
    /// reader sees the old entry or the new one, never a part. Nil on success, else why not.
    private static func writeAtomically(_ bytes: [UInt8], toPath path: String, folder: String) -> String? {
        writeAtomically(toPath: path, folder: folder) { write in try bytes.withUnsafeBytes(write) }
    }

    /// The same, for a file written in pieces: `produce` hands each piece to the writer it is
    /// given, which throws when the disk refuses it.
    static func writeAtomically(toPath path: String, folder: String,
                                _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) -> String? {
        let template = (folder as NSString).appendingPathComponent(temporaryPrefix + "XXXXXX")
        var name = Array(template.utf8CString)
        var fd = mkstemp(&name)
        if fd < 0, errno == ENOENT, makeFolder(folder) == nil {  // the folder was removed meanwhile
            name = Array(template.utf8CString)
            fd = mkstemp(&name)
        }
        guard fd >= 0 else { return "cannot create a file in \(folder) (\(String(cString: strerror(errno))))" }
        let temporary = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        struct WriteFailure: Error { let code: Int32 }
        var failure: Int32 = 0
        do {
            try produce { raw in
                var written = 0
                while written < raw.count {
                    let n = write(fd, raw.baseAddress! + written, raw.count - written)
                    if n > 0 {
                        written += n
                    } else if n < 0, errno == EINTR {
                        continue
                    } else {
                        throw WriteFailure(code: n < 0 ? errno : ENOSPC)
                    }
                }
            }
        } catch {
            failure = (error as? WriteFailure)?.code ?? EIO
        }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            return "cannot write \(path) (\(String(cString: strerror(failure))))"
        }
        return nil
    }
}
