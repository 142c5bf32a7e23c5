/// Byte strings -> their numbers in order of arrival (0, 1, 2 …): the lookup the search
/// word cache makes once per word of every update. Open addressing over a power-of-two
/// table kept at most half full; the keys' bytes live in one pool.
struct ByteTable {
    /// Slot -> the key's hash tag in the high half and its number + 1 in the low half (0: empty).
    private var slots = [UInt64](repeating: 0, count: 1 << 10)
    private var pool: [UInt8] = []
    /// Where key `k` starts in `pool`; it ends where key `k + 1` starts.
    private var starts: [Int32] = [0]

    var count: Int { starts.count - 1 }

    /// The number of `bytes`, if they are a key.
    @inline(__always)
    func number(of bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let mask = slots.count - 1
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if slots[slot] & 0xFFFF_FFFF_0000_0000 == tag {
                let number = Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF) - 1
                if same(bytes, number) { return number }
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private func same(_ bytes: UnsafeBufferPointer<UInt8>, _ number: Int) -> Bool {
        let start = Int(starts[number]), end = Int(starts[number + 1])
        guard end - start == bytes.count else { return false }
        return pool.withUnsafeBufferPointer { pool in
            var k = 0
            while k < bytes.count, pool[start + k] == bytes[k] { k += 1 }
            return k == bytes.count
        }
    }

    /// Adds `bytes`, which must not be a key yet; their number.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        pool.append(contentsOf: bytes)
        starts.append(Int32(pool.count))
        if count * 2 > slots.count { rehash(size: slots.count * 2) } else { place(hash, count - 1) }
        return count - 1
    }

    private mutating func place(_ hash: UInt64, _ number: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(number + 1)
    }

    private mutating func rehash(size: Int) {
        slots = [UInt64](repeating: 0, count: size)
        for number in 0..<count {
            let hash = pool.withUnsafeBufferPointer { pool in
                ByteHash.hash(UnsafeBufferPointer(rebasing: pool[Int(starts[number])..<Int(starts[number + 1])]))
            }
            place(hash, number)
        }
    }

    mutating func removeAll() {
        slots = [UInt64](repeating: 0, count: 1 << 10)
        pool.removeAll(keepingCapacity: true)
        starts = [0]
    }
}
