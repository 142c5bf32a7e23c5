/// Immutable bytes at a fixed address, so a `writev` can point at them while a connection
/// holds a reference; shared by every connection writing the same response.
final class ByteBlock: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// For a block that is part of another: the one that owns the bytes, kept alive here.
    private let owner: ByteBlock?

    init(_ array: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(array.count, 1), alignment: 1)
        array.withUnsafeBytes { storage.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(rebasing: storage[0..<array.count])
        owner = nil
    }

    convenience init(_ text: String) { self.init(Array(text.utf8)) }

    /// `range` of `block`'s bytes, not copied: the same bytes written in two framings.
    init(_ range: Range<Int>, of block: ByteBlock) {
        bytes = UnsafeRawBufferPointer(rebasing: block.bytes[range])
        owner = block
    }

    var count: Int { bytes.count }

    deinit {
        if owner == nil { bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() } }
    }
}
