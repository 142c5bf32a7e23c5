/// A 64-bit hash of a byte string that can be fed in pieces, at memory speed: for the
/// integrity of what the store writes to disk (cache entries, snapshots) and for strong
/// validators of response bodies. Not against an adversary: against truncation, damage and
/// accidental equality.
///
/// Each 8-byte word steps `h ↦ rotl((h ^ word) · k)`, a bijection of `h` for a fixed word, so
/// any damage confined to one word always changes the result; wider damage is missed with a
/// chance of about 2⁻⁶⁴. The length is mixed in at the end, so a truncation at a word
/// boundary changes it too. Pieces may be of any length: the result depends only on the
/// concatenated bytes.
public struct WordChecksum {
    private var h: UInt64 = 0xCBF2_9CE4_8422_2325
    private var length: UInt64 = 0
    /// The bytes of an unfinished word, low byte first, and how many there are.
    private var partial: UInt64 = 0
    private var partialCount: UInt64 = 0

    private static let k: UInt64 = 0x9E37_79B9_7F4A_7C15

    private mutating func step(_ word: UInt64) {
        h = (h ^ word) &* Self.k
        h = (h << 29) | (h >> 35)
    }

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length += UInt64(bytes.count)
        var offset = 0
        while partialCount > 0, offset < bytes.count {
            partial |= UInt64(bytes[offset]) << (8 * partialCount)
            partialCount += 1
            offset += 1
            if partialCount == 8 { step(partial); partial = 0; partialCount = 0 }
        }
        while offset + 8 <= bytes.count {
            step(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        while offset < bytes.count {
            partial |= UInt64(bytes[offset]) << (8 * partialCount)
            partialCount += 1
            offset += 1
        }
    }

    public func finish() -> UInt64 {
        var copy = self
        copy.step(copy.partial)
        copy.step(copy.length)
        var h = copy.h
        // Murmur3's finalizer, so that every input bit reaches every output bit.
        h ^= h >> 33; h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33; h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}

extension WordChecksum {
    /// The checksum of `bytes` in one call.
    public static func of(_ bytes: [UInt8]) -> UInt64 {
        var checksum = WordChecksum()
        bytes.withUnsafeBytes { checksum.update($0) }
        return checksum.finish()
    }
}
