import Glibc
import Routes

/// A response turned into bytes once: the status line and header fields every copy shares,
/// and the body. The connection-level fields (`Date`, `Connection`) are written beside it
/// by each connection, so one encoding serves every request for the same target.
final class EncodedResponse: Sendable {
    let status: Int
    /// `HTTP/1.1 200 OK\r\n` and the fields, `Content-Length` included, without the blank line.
    let head: ByteBlock
    let body: ByteBlock

    init(_ response: Response) {
        status = response.status
        var text = "HTTP/1.1 \(response.status) \(ReasonPhrase.of(response.status))\r\n"
        for (name, value) in response.headers {
            text += "\(name): \(value)\r\n"
        }
        // RFC 9110 §8.6: no Content-Length on 1xx and 204; on 304 it would describe the
        // body the client already has, so it is left out too.
        if response.status != 204 && response.status != 304 {
            text += "Content-Length: \(response.body.count)\r\n"
        }
        head = ByteBlock(text)
        body = ByteBlock(response.status == 204 || response.status == 304 ? [] : response.body)
    }
}

/// The encoded responses of one loop, by request target, for the current router.
///
/// Looked up with the target's bytes where they lie in the read buffer, by hash and then
/// byte comparison, so a hit allocates nothing.
final class ResponseCache {
    private struct Entry {
        var target: [UInt8]
        var response: EncodedResponse
    }

    private var entries: [UInt64: Entry] = [:]
    private var storedBytes = 0
    /// Past this many targets, or this many bytes (a page of 500 updates is half a
    /// megabyte), the cache starts over, so that walking every query string cannot grow
    /// memory without bound.
    static let maximumEntries = 4096
    static let maximumBytes = 32 * 1024 * 1024

    func lookup(_ target: UnsafeRawBufferPointer) -> EncodedResponse? {
        guard let entry = entries[Self.hash(target)], entry.target.count == target.count else { return nil }
        return entry.target.withUnsafeBytes { stored in
            memcmp(stored.baseAddress!, target.baseAddress!, target.count) == 0
        } ? entry.response : nil
    }

    func store(_ target: UnsafeRawBufferPointer, _ response: EncodedResponse) {
        let size = target.count + response.head.count + response.body.count
        if entries.count >= Self.maximumEntries || storedBytes + size > Self.maximumBytes { removeAll() }
        if let replaced = entries.updateValue(Entry(target: Array(target), response: response), forKey: Self.hash(target)) {
            storedBytes -= replaced.target.count + replaced.response.head.count + replaced.response.body.count
        }
        storedBytes += size
    }

    func removeAll() {
        entries.removeAll()
        storedBytes = 0
    }

    /// FNV-1a, 64 bits.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
