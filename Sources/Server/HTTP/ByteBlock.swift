/// Immutable bytes at a fixed address, so a `writev` can point at them while a connection
/// holds a reference; shared by every connection writing the same response.
final class ByteBlock: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    init(_ array: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(array.count, 1), alignment: 1)
        array.withUnsafeBytes { storage.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(rebasing: storage[0..<array.count])
    }

    convenience init(_ text: String) { self.init(Array(text.utf8)) }

    var count: Int { bytes.count }

    deinit { bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() } }
}
