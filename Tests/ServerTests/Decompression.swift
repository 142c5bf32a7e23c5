import CBrotli
import CZlib
import XCTest

/// Decoders for the tests, through the same system libraries the server encodes with, so
/// that a compressed body can be compared byte for byte with the identity one.
enum Decompression {
    static func gunzip(_ data: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard liveblog_inflateInit2(&stream, 15 + 16) == Z_OK else { throw Failure("inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = data
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output += out[0..<(out.count - Int(stream.avail_out))]
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END, stream.avail_in == 0 else { throw Failure("not one complete gzip stream (zlib status \(status))") }
        return output
    }

    static func unbrotli(_ data: [UInt8], expectedSize: Int) throws -> [UInt8] {
        var size = expectedSize + 1
        var output = [UInt8](repeating: 0, count: size)
        let result = data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                BrotliDecoderDecompress(input.count, input.baseAddress, &size, out.baseAddress)
            }
        }
        guard result == BROTLI_DECODER_RESULT_SUCCESS else { throw Failure("not a complete brotli stream") }
        return Array(output[0..<size])
    }
}
