import CBrotli
import CZlib

/// Bodies in `gzip` (the system zlib) and `br` (the system brotli), each at its best ratio:
/// a body is compressed once, when its cached response is first asked for in that coding,
/// and then sent many times, so the time spent once buys bytes on every request.
enum Compressor {
    /// Below this size a body is sent as it is: the saving would be less than the
    /// `Content-Encoding` and `Vary` fields cost, and fits in the same packet anyway.
    static let minimumBodyBytes = 1024
    /// zlib's best ratio; 15 window bits plus 16 asks for a gzip wrapper instead of zlib's.
    static let gzipLevel: Int32 = 9
    static let gzipWindowBits: Int32 = 15 + 16
    static let gzipMemoryLevel: Int32 = 9
    /// brotli's best ratio, with its default window (4 MiB, more than any body here).
    static let brotliQuality: Int32 = 11
    static let brotliWindowBits: Int32 = 22

    /// Media types whose bodies are text and shrink; images and the like would not.
    static let compressibleTypes: Set<String> = [
        "application/json", "application/problem+json", "application/ld+json", "application/yaml",
        "text/html", "text/css", "text/javascript", "text/plain",
    ]

    static func isCompressible(contentType: String) -> Bool {
        let essence = contentType.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }.lowercased()
        return compressibleTypes.contains(essence)
    }

    static func compress(_ body: [UInt8], as coding: ContentCoding) -> [UInt8] {
        switch coding {
        case .identity: return body
        case .gzip: return gzip(body)
        case .br: return brotli(body)
        }
    }

    static func gzip(_ body: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard liveblog_deflateInit2(&stream, gzipLevel, gzipWindowBits, gzipMemoryLevel, Z_DEFAULT_STRATEGY) == Z_OK else {
            preconditionFailure("zlib refused its own default parameters")
        }
        defer { deflateEnd(&stream) }
        // deflateBound is enough for one deflate(Z_FINISH) call to finish.
        let capacity = Int(deflateBound(&stream, uLong(body.count)))
        var output = [UInt8](repeating: 0, count: capacity)
        let status = body.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(status == Z_STREAM_END, "deflate did not finish within deflateBound")
        output.removeLast(capacity - Int(stream.total_out))
        return output
    }

    static func brotli(_ body: [UInt8]) -> [UInt8] {
        var size = BrotliEncoderMaxCompressedSize(body.count)
        var output = [UInt8](repeating: 0, count: size)
        let ok = body.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                BrotliEncoderCompress(brotliQuality, brotliWindowBits, BROTLI_MODE_TEXT,
                                      input.count, input.baseAddress, &size, out.baseAddress)
            }
        }
        precondition(ok == BROTLI_TRUE, "brotli failed within its own maximum size")
        output.removeLast(output.count - size)
        return output
    }
}
