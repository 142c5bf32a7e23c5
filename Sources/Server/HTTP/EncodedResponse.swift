import Glibc
import Routes

/// A response turned into bytes once: the status line and header fields every copy shares,
/// and the body. The connection-level fields (`Date`, `Connection`) are written beside it
/// by each connection, so one encoding serves every request for the same target. The fields
/// every response carries (`ResponseConventions`) are added here, so none can miss them.
final class EncodedResponse: Sendable {
    let status: Int
    /// Where `/metrics` counts it (`MetricLabels`), worked out once per encoding.
    let routeSlot: Int
    let statusSlot: Int
    /// `HTTP/1.1 200 OK\r\n` and the fields, `Content-Length` included, without the blank line.
    let head: ByteBlock
    let body: ByteBlock

    init(_ response: Response) {
        status = response.status
        routeSlot = MetricLabels.routeSlot(response.route)
        statusSlot = MetricLabels.statusSlot(response.status)
        // RFC 9110 §8.6: no Content-Length on 1xx and 204; on 304 it would describe the
        // body the client already has, so it is left out too.
        let hasBody = response.status != 204 && response.status != 304
        head = ByteBlock(Self.headText(status: response.status, headers: response.headers,
                                       contentLength: hasBody ? response.body.count : nil))
        body = ByteBlock(hasBody ? response.body : [])
    }

    /// The status line and the fields (with every response's conventions), without the blank
    /// line: for a whole response, or the head of a stream (no `Content-Length`).
    static func headText(status: Int, headers: [(name: String, value: String)], contentLength: Int?) -> String {
        var text = "HTTP/1.1 \(status) \(ReasonPhrase.of(status))\r\n"
        for (name, value) in ResponseConventions.complete(headers) {
            text += "\(name): \(value)\r\n"
        }
        if let contentLength { text += "Content-Length: \(contentLength)\r\n" }
        return text
    }
}

/// The answers of one loop, by request target and `Accept` (the one request field the
/// routes read), for the current router; each answer holds its codings (`ResponseVariants`).
///
/// Looked up with the bytes where they lie in the read buffer, by hash and then byte
/// comparison, so a hit allocates nothing.
final class ResponseCache {
    private struct Entry {
        /// The target, a NUL (which no target holds), then the Accept value.
        var key: [UInt8]
        var variants: ResponseVariants
        /// What `variants` held when it was counted.
        var countedBytes: Int
    }

    private var entries: [UInt64: Entry] = [:]
    private var storedBytes = 0
    /// Past this many entries, or this many bytes (a page of 500 updates is half a
    /// megabyte), the cache starts over, so that walking every query string cannot grow
    /// memory without bound.
    static let maximumEntries = 4096
    static let maximumBytes = 32 * 1024 * 1024

    func lookup(_ target: UnsafeRawBufferPointer, accept: UnsafeRawBufferPointer) -> ResponseVariants? {
        guard let entry = entries[Self.hash(target, accept)], entry.key.count == target.count + 1 + accept.count else {
            return nil
        }
        return entry.key.withUnsafeBytes { stored in
            memcmp(stored.baseAddress!, target.baseAddress!, target.count) == 0 && stored[target.count] == 0
                && (accept.isEmpty || memcmp(stored.baseAddress! + target.count + 1, accept.baseAddress!, accept.count) == 0)
        } ? entry.variants : nil
    }

    func store(_ target: UnsafeRawBufferPointer, accept: UnsafeRawBufferPointer, _ variants: ResponseVariants) {
        if entries.count >= Self.maximumEntries || storedBytes + variants.storedBytes > Self.maximumBytes { removeAll() }
        let key = Array(target) + [0] + Array(accept)
        let entry = Entry(key: key, variants: variants, countedBytes: variants.storedBytes)
        if let replaced = entries.updateValue(entry, forKey: Self.hash(target, accept)) {
            storedBytes -= replaced.key.count + replaced.countedBytes
        }
        storedBytes += key.count + variants.storedBytes
    }

    /// Counts what an entry grew by when it made a coding for the first time.
    func noteGrowth(of variants: ResponseVariants, target: UnsafeRawBufferPointer, accept: UnsafeRawBufferPointer) {
        let hash = Self.hash(target, accept)
        guard let entry = entries[hash], entry.variants === variants, entry.countedBytes != variants.storedBytes else { return }
        storedBytes += variants.storedBytes - entry.countedBytes
        entries[hash]?.countedBytes = variants.storedBytes
    }

    func removeAll() {
        entries.removeAll()
        storedBytes = 0
    }

    /// FNV-1a, 64 bits, over the target, a NUL, and the Accept value.
    static func hash(_ target: UnsafeRawBufferPointer, _ accept: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in target { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0) &* 0x100_0000_01b3
        for byte in accept { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
