/// A fast hash of a short byte string (a word): eight bytes at a time, multiply and shift.
/// Not for keys an attacker picks to collide at scale: the tables it serves hold a text's
/// words, probe linearly and stay at most half full, so a collision costs a comparison.
enum ByteHash {
    /// The first eight bytes of `bytes`, zero-padded, as one integer: with the length, the
    /// whole key of most words.
    @inline(__always)
    static func head(of bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var head: UInt64 = 0
        for k in 0..<min(8, bytes.count) { head |= UInt64(bytes[k]) << (8 * k) }
        return head
    }

    /// The hash of `bytes`, whose `head` is already read.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, head: UInt64) -> UInt64 {
        var h = (head ^ UInt64(bytes.count)) &* 0x9E37_79B9_7F4A_7C15
        var k = 8
        while k < bytes.count {
            var chunk: UInt64 = 0
            for j in k..<min(k + 8, bytes.count) { chunk |= UInt64(bytes[j]) << (8 * (j - k)) }
            h = (h ^ (h >> 29) ^ chunk) &* 0xBF58_476D_1CE4_E5B9
            k += 8
        }
        return h ^ (h >> 32)
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { hash(bytes, head: head(of: bytes)) }
}
