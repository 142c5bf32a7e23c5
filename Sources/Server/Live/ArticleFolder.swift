import Foundation
import Glibc
import Store

/// The folder of article files as the file system shows it: names, and what tells a changed
/// file from an unchanged one without reading it.
struct ArticleFolder: Sendable {
    let path: String
    /// Files past this many bytes are refused before they are read.
    let maximumFileBytes: Int

    static let defaultMaximumFileBytes = 16 << 20

    /// What `stat` says of a file; a file whose stamp is unchanged is not read again.
    struct Stamp: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var changed: Int64
    }

    enum FolderError: Error, CustomStringConvertible {
        case cannotList(path: String, reason: String)
        var description: String {
            switch self {
            case .cannotList(let path, let reason): return "the articles folder \(path) cannot be read: \(reason)"
            }
        }
    }

    /// The article file names directly in the folder.
    func names() throws(FolderError) -> [String] {
        guard let directory = opendir(path) else {
            throw .cannotList(path: path, reason: Self.reason(errno))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if ArticleFile.isArticleFile(name) { names.append(name) }
        }
        return names.sorted()
    }

    func fullPath(_ name: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }

    /// The stamp of `name` (following symbolic links, as a ConfigMap's are), or why there is none.
    func stamp(_ name: String) -> Result<Stamp, StoreError>? {
        var info = stat()
        guard stat(fullPath(name), &info) == 0 else {
            if errno == ENOENT { return nil }
            return .failure(.unreadable(Self.reason(errno)))
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else { return .failure(.notRegularFile(kind: Self.kindName(kind))) }
        return .success(Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                              modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                              changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)))
    }

    /// The whole file, or why not: read to its end through one descriptor, so that a file
    /// cut short while read is an error, never half an article.
    func read(_ name: String) -> Result<[UInt8], StoreError> {
        let descriptor = open(fullPath(name), O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(.unreadable(Self.reason(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable(Self.reason(errno))) }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else { return .failure(.notRegularFile(kind: Self.kindName(kind))) }
        let expected = Int(info.st_size)
        guard expected <= maximumFileBytes else { return .failure(.tooLarge(bytes: expected, limit: maximumFileBytes)) }
        var bytes = [UInt8](repeating: 0, count: expected + 1)
        var filled = 0
        while true {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(Self.reason(errno)))
            }
            if count == 0 { break }
            filled += count
            if filled > maximumFileBytes { return .failure(.tooLarge(bytes: filled, limit: maximumFileBytes)) }
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ELOOP: return "a loop of symbolic links"
        case ENOENT: return "it does not exist"
        case ENOTDIR: return "a part of the path is not a folder"
        case EISDIR: return "it is a folder"
        case EIO: return "an input/output error of the disk"
        case ENAMETOOLONG: return "the path is too long"
        case EMFILE, ENFILE: return "too many files are open"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a plain file"
        }
    }
}
