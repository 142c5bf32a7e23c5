import Synchronization

/// A fixed table of counters that one thread writes and any thread reads.
///
/// The writer bumps a cell with a relaxed load and store, not a locked read-modify-write:
/// only its own loop writes it, so no increment is lost, and a reader summing at scrape time
/// sees each cell whole (if a moment late).
final class CounterCells: @unchecked Sendable {
    private let cells: UnsafeMutablePointer<Atomic<Int>>
    let count: Int

    init(count: Int) {
        self.count = count
        cells = .allocate(capacity: count)
        for index in 0..<count { (cells + index).initialize(to: Atomic(0)) }
    }

    deinit {
        cells.deinitialize(count: count)
        cells.deallocate()
    }

    /// Only the owning thread calls this.
    @inline(__always)
    func bump(_ index: Int, by amount: Int = 1) {
        cells[index].store(cells[index].load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    func value(_ index: Int) -> Int { cells[index].load(ordering: .relaxed) }
}
