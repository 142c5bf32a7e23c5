import Foundation
import Glibc
@testable import Server
import Synchronization
import XCTest

/// The inotify watcher on a real folder: a finished file is reported, and a file is never
/// reported while its writer still has it open, however short the quiet period of a change.
final class FolderWatcherTests: XCTestCase {
    final class Changes: Sendable {
        private let seen = Mutex<[FolderChange]>([])
        func add(_ change: FolderChange) { seen.withLock { $0.append(change) } }
        var all: [FolderChange] { seen.withLock { $0 } }

        func names() -> Set<String> {
            all.reduce(into: Set<String>()) { names, change in
                if case .names(let some) = change { names.formUnion(some) }
            }
        }

        /// Waits until a change names `name`; bounded, as every wait in the tests.
        func wait(for name: String, seconds: Double = 10) throws {
            let deadline = Date().addingTimeInterval(seconds)
            while !names().contains(name) {
                guard Date() < deadline else { throw Failure("no change named \(name) within \(seconds) s; got \(all)") }
                usleep(5000)
            }
        }
    }

    func testAFileIsReportedWhenClosedNeverWhileItsWriterHasItOpen() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let watcher = try InotifyWatcher(path: folder.path)
        let changes = Changes()
        try watcher.start { changes.add($0) }
        defer { watcher.stop() }

        let slow = open(folder.appendingPathComponent("700_slow.txt").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(slow, 0)
        XCTAssertEqual(write(slow, " date 2022-03-10\n", 17), 17)
        // Another file, written whole while the first is still open, is reported on its own.
        try Data(" date 2022-03-11\n".utf8).write(to: folder.appendingPathComponent("701_quick.txt"))
        try changes.wait(for: "701_quick.txt")
        XCTAssertFalse(changes.names().contains("700_slow.txt"), "reported while its writer still had it open")
        close(slow)
        try changes.wait(for: "700_slow.txt")
        // A file renamed in is complete at once.
        let temporary = folder.deletingLastPathComponent().appendingPathComponent(".702-\(UUID().uuidString)")
        try Data(" date 2022-03-12\n".utf8).write(to: temporary)
        XCTAssertEqual(rename(temporary.path, folder.appendingPathComponent("702_renamed.txt").path), 0)
        try changes.wait(for: "702_renamed.txt")
        XCTAssertFalse(changes.all.contains(.everything), "a change of named files looked at the whole folder")
    }
}
