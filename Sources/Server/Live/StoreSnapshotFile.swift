import Dispatch
import Foundation
import Glibc
import Store

/// The whole store kept on disk beside the normalization cache (`store.snapshot` in the
/// cache's folder for this build), so that a restart maps one file instead of decoding every
/// cached article and indexing it again. Each article carries a label saying which file and
/// which content it was made from: a restart reuses an article only when its file still holds
/// exactly that content, and normalizes (or takes from the cache) whatever changed.
///
/// Like the cache, it is a convenience: a snapshot that is missing, damaged or of another
/// format is a warning at most, and the store is built from the articles.
final class StoreSnapshotFile: Sendable {
    static let fileName = "store.snapshot"

    let path: String
    private let folder: String
    private let isWritable: Bool

    init(cache: NormalizationCache) {
        folder = cache.folder
        path = (cache.folder as NSString).appendingPathComponent(Self.fileName)
        isWritable = cache.isWritable
    }

    /// What an article of the snapshot was made from.
    struct Label: Equatable, Sendable {
        var fileName: String
        var key: ContentKey
        /// The file's stamp when it was read, if the file had stood still for a while by then
        /// (`LiveCorpus.settleSeconds`): a restart that finds the same stamp trusts the key
        /// without reading the file, as git trusts its index. A stamp taken while the file
        /// might still change within the clock's resolution is not kept.
        var stamp: ArticleFolder.Stamp?
        /// The warnings its file gave, reported again when it is reused.
        var warnings: [String]
    }

    /// The store and its labels; nil when there is no snapshot, with the reason when there is
    /// one that cannot be used.
    func load() -> Result<(store: Store, labels: [String: Label]), SnapshotProblem>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return errno == ENOENT ? nil : .failure(SnapshotProblem("cannot open \(path) (\(String(cString: strerror(errno))))"))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 0 else {
            return .failure(SnapshotProblem("cannot read \(path): empty or not a file"))
        }
        let size = Int(status.st_size)
        // Mapped, not read: the snapshot is copied once, into the store's own arrays.
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            return .failure(SnapshotProblem("cannot map \(path) (\(String(cString: strerror(errno))))"))
        }
        defer { munmap(base, size) }
        madvise(base, size, MADV_WILLNEED)
        do {
            let (store, raw) = try Store.reading(snapshot: UnsafeRawBufferPointer(start: base, count: size))
            var labels: [String: Label] = [:]
            labels.reserveCapacity(raw.count)
            for (id, bytes) in raw {
                guard let label = Label(bytes) else {
                    return .failure(SnapshotProblem("\(path) is not an intact store snapshot: article \(id) has a damaged label"))
                }
                labels[id] = label
            }
            return .success((store, labels))
        } catch {
            return .failure(SnapshotProblem("\(path) is \(error.description)"))
        }
    }

    /// Writes `store` with its labels, replacing the snapshot there at once (a temporary file,
    /// then a rename). Nil on success, else why not.
    func save(_ store: Store, labels: [String: Label]) -> SnapshotProblem? {
        guard isWritable else { return SnapshotProblem("the cache folder \(folder) is not writable") }
        let raw = labels.mapValues(\.bytes)
        return NormalizationCache.writeAtomically(toPath: path, folder: folder) { write in
            try store.writeSnapshot(labels: raw, to: write)
        }.map(SnapshotProblem.init)
    }
}

/// Why a store snapshot was not read or written.
struct SnapshotProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension StoreSnapshotFile.Label {
    /// Name, digest, stamp (a 0, or a 1 and five 8-byte numbers), warnings; each string a
    /// 4-byte length and its UTF-8.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        func string(_ s: String) {
            withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: s.utf8)
        }
        string(fileName)
        out.append(contentsOf: key.digest)
        if let stamp {
            out.append(1)
            for field in [stamp.device, stamp.inode, UInt64(bitPattern: stamp.size), UInt64(bitPattern: stamp.modified),
                          UInt64(bitPattern: stamp.changed)] {
                withUnsafeBytes(of: field.littleEndian) { out.append(contentsOf: $0) }
            }
        } else {
            out.append(0)
        }
        withUnsafeBytes(of: UInt32(warnings.count).littleEndian) { out.append(contentsOf: $0) }
        for warning in warnings { string(warning) }
        return out
    }

    init?(_ bytes: [UInt8]) {
        var offset = 0
        func number() -> Int? {
            guard offset + 4 <= bytes.count else { return nil }
            defer { offset += 4 }
            return bytes[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        func string() -> String? {
            guard let length = number(), offset + length <= bytes.count else { return nil }
            defer { offset += length }
            return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
        }
        guard let name = string(), offset + SHA256.byteCount <= bytes.count,
              let key = ContentKey(digest: Array(bytes[offset..<(offset + SHA256.byteCount)])) else { return nil }
        offset += SHA256.byteCount
        var stamp: ArticleFolder.Stamp?
        guard offset < bytes.count else { return nil }
        offset += 1
        if bytes[offset - 1] == 1 {
            guard offset + 40 <= bytes.count else { return nil }
            let fields = (0..<5).map { k in
                bytes[(offset + 8 * k)..<(offset + 8 * k + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            }
            offset += 40
            stamp = ArticleFolder.Stamp(device: fields[0], inode: fields[1], size: Int64(bitPattern: fields[2]),
                                        modified: Int64(bitPattern: fields[3]), changed: Int64(bitPattern: fields[4]))
        }
        guard let count = number(), count <= bytes.count - offset else { return nil }
        var warnings: [String] = []
        for _ in 0..<count {
            guard let warning = string() else { return nil }
            warnings.append(warning)
        }
        guard offset == bytes.count else { return nil }
        self.init(fileName: name, key: key, stamp: stamp, warnings: warnings)
    }
}
