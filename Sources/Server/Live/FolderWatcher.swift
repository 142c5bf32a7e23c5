import CLinux
import Foundation
import Glibc
import Store
import Synchronization

/// What the live corpus is told of the folder: these names may have changed, or anything
/// may have (an event queue overflow, a symbolic-link swap, a periodic rescan).
enum FolderChange: Sendable, Equatable {
    case names(Set<String>)
    case everything
}

/// A source of folder changes; inotify on Linux. Kept behind this interface so the corpus
/// does not care how it learns of a change, and tests can drive it.
protocol FolderEvents: AnyObject, Sendable {
    func start(_ onChange: @escaping @Sendable (FolderChange) -> Void) throws(FolderWatchError)
    func stop()
}

struct FolderWatchError: Error, CustomStringConvertible {
    var description: String
}

/// Watches one folder with inotify. A name is reported once its writer has closed it or it
/// was renamed in (never while it is still being written), after a short quiet period that
/// gathers a burst of events into one change.
final class InotifyWatcher: FolderEvents, @unchecked Sendable {
    /// Events closer than this are gathered into one change.
    static let quietPeriodMilliseconds: Int32 = 40
    /// The quiet period when every file the events name is complete (closed after writing,
    /// renamed in, removed) and none is still open from its creation: long enough to gather
    /// a burst (`cp *.txt`), without making a finished file wait for writers there are not.
    static let settledQuietMilliseconds: Int32 = 3
    /// A steady stream of events is still reported at least this often.
    static let maximumDelayMilliseconds = 250

    private let path: String
    private let descriptor: Int32
    private let stopping = Atomic<Bool>(false)
    private var thread: Thread?

    init(path: String) throws(FolderWatchError) {
        self.path = path
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw FolderWatchError(description: "inotify: \(ArticleFolder.reason(errno))") }
    }

    deinit { close(descriptor) }

    func start(_ onChange: @escaping @Sendable (FolderChange) -> Void) throws(FolderWatchError) {
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
        guard inotify_add_watch(descriptor, path, mask) >= 0 else {
            throw FolderWatchError(description: "cannot watch \(path): \(ArticleFolder.reason(errno))")
        }
        let thread = Thread { [self] in run(onChange) }
        thread.name = "liveblog-watch"
        self.thread = thread
        thread.start()
    }

    func stop() { stopping.store(true, ordering: .relaxed) }

    private func run(_ onChange: @Sendable (FolderChange) -> Void) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        var pending: Set<String> = []
        /// Files created and not closed yet: their writers are still at work.
        var beingWritten: Set<String> = []
        var everything = false
        var firstPending: DispatchTime?
        while !stopping.load(ordering: .relaxed) {
            var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let waiting = !pending.isEmpty || everything
            let quiet = everything || !beingWritten.isEmpty ? Self.quietPeriodMilliseconds : Self.settledQuietMilliseconds
            let ready = Glibc.poll(&poll, 1, waiting ? quiet : 500)
            if ready > 0 {
                let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
                if count > 0 {
                    if firstPending == nil { firstPending = .now() }
                    everything = parse(buffer, count: count, into: &pending, beingWritten: &beingWritten) || everything
                }
            }
            let overdue = firstPending.map { DispatchTime.now().uptimeNanoseconds - $0.uptimeNanoseconds
                > UInt64(Self.maximumDelayMilliseconds) * 1_000_000 } ?? false
            guard ready == 0 || overdue, waiting || everything || !pending.isEmpty else { continue }
            if everything {
                onChange(.everything)
            } else if !pending.isEmpty {
                onChange(.names(pending))
            }
            pending = []
            // A file opened to be created and closed without writing sends no close event
            // watched here: it is forgotten at the next change rather than slow every one after.
            beingWritten = []
            everything = false
            firstPending = nil
        }
    }

    /// Adds the article names the events touch, and notes the files still being written;
    /// true when the whole folder must be looked at.
    private func parse(_ buffer: UnsafeMutableRawBufferPointer, count: Int, into names: inout Set<String>,
                       beingWritten: inout Set<String>) -> Bool {
        var everything = false
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= count {
            let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
            let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + header)..<(offset + header + Int(event.len))])
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            offset += header + Int(event.len)
            if event.mask & UInt32(IN_Q_OVERFLOW) != 0 || event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                everything = true
                continue
            }
            if event.mask & UInt32(IN_ISDIR) != 0 {
                // Kubernetes swaps a ConfigMap's `..data` link to a new folder: look again at everything.
                if name.hasPrefix("..") { everything = true }
                continue
            }
            guard ArticleFile.isArticleFile(name) else {
                if name.hasPrefix("..") { everything = true }
                continue
            }
            if event.mask & UInt32(IN_CREATE) != 0 {
                // A new regular file is reported when its writer closes it; a link is complete at once.
                var info = stat()
                guard lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else {
                    beingWritten.insert(name)
                    continue
                }
            }
            if event.mask & UInt32(IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM) != 0 { beingWritten.remove(name) }
            names.insert(name)
        }
        return everything
    }
}
