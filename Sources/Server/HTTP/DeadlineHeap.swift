/// The loop's connections by deadline: a binary min-heap, each connection in it once at
/// most, so the loop finds the next deadline in O(1) and its cost follows the connections
/// open, not the descriptor numbers they hold.
///
/// A connection's deadline moves on almost every event; moving it later costs nothing here
/// (the heap keeps the earlier time, and when that comes the loop files the connection
/// again under its real deadline). Only a move earlier, or a removal, touches the heap.
struct DeadlineHeap {
    private var entries: [Connection] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// The earliest filed deadline.
    var earliest: Int64? { entries.first?.filedDeadline }

    /// Files `connection` under `deadline` when that is earlier than where it is filed.
    mutating func schedule(_ connection: Connection, at deadline: Int64) {
        if let index = connection.timerIndex {
            guard deadline < connection.filedDeadline else { return }
            connection.filedDeadline = deadline
            siftUp(index)
        } else {
            connection.filedDeadline = deadline
            connection.timerIndex = entries.count
            entries.append(connection)
            siftUp(entries.count - 1)
        }
    }

    /// Takes out the connection filed earliest, when its filed deadline is at or before `now`.
    mutating func popDue(now: Int64) -> Connection? {
        guard let first = entries.first, first.filedDeadline <= now else { return nil }
        remove(first)
        return first
    }

    mutating func remove(_ connection: Connection) {
        guard let index = connection.timerIndex else { return }
        connection.timerIndex = nil
        connection.filedDeadline = .max
        let last = entries.removeLast()
        guard index < entries.count else { return }
        entries[index] = last
        last.timerIndex = index
        siftDown(siftUp(index))
    }

    @discardableResult
    private mutating func siftUp(_ start: Int) -> Int {
        var index = start
        while index > 0 {
            let parent = (index - 1) / 2
            guard entries[index].filedDeadline < entries[parent].filedDeadline else { break }
            swapAt(index, parent)
            index = parent
        }
        return index
    }

    private mutating func siftDown(_ start: Int) {
        var index = start
        while true {
            let left = 2 * index + 1
            guard left < entries.count else { return }
            let right = left + 1
            var smallest = left
            if right < entries.count, entries[right].filedDeadline < entries[left].filedDeadline { smallest = right }
            guard entries[smallest].filedDeadline < entries[index].filedDeadline else { return }
            swapAt(index, smallest)
            index = smallest
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        entries.swapAt(a, b)
        entries[a].timerIndex = a
        entries[b].timerIndex = b
    }
}
