/// The loop's open connections by file descriptor. It grows (doubling) to the highest
/// descriptor actually used, instead of being sized by the descriptor limit up front.
struct ConnectionTable {
    private var slots: [Connection?] = Array(repeating: nil, count: 64)
    private(set) var count = 0

    subscript(fd: Int32) -> Connection? {
        let index = Int(fd)
        return index >= 0 && index < slots.count ? slots[index] : nil
    }

    mutating func insert(_ connection: Connection) {
        let index = Int(connection.fileDescriptor)
        if index >= slots.count {
            slots.append(contentsOf: repeatElement(nil, count: max(index + 1, slots.count * 2) - slots.count))
        }
        if slots[index] == nil { count += 1 }
        slots[index] = connection
    }

    mutating func remove(_ connection: Connection) {
        let index = Int(connection.fileDescriptor)
        guard index < slots.count, slots[index] === connection else { return }
        slots[index] = nil
        count -= 1
    }

    /// Every open connection, copied out first so the caller may close them as it goes.
    var all: [Connection] { slots.compactMap { $0 } }
}
