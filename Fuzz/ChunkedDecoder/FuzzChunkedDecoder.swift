import HTTPParsing

/// libFuzzer entry: the chunked decoder fed the input whole, then in pieces the input
/// chooses, then byte by byte; the answer (the bytes the body took, or the refusal) and the
/// data it counted must be the same every time.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChunkedDecoder(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = count == 0 ? [] : Array(UnsafeRawBufferPointer(start: start, count: count))
    let piece = 1 + Int(bytes.first ?? 0) % 13
    let whole = decode(bytes, piece: max(bytes.count, 1))
    let pieces = decode(bytes, piece: piece)
    let single = decode(bytes, piece: 1)
    // fatalError, not precondition: an optimized build drops a precondition's message.
    if whole != pieces || whole != single { fatalError("answers differ: \(whole), \(pieces) (by \(piece)), \(single)") }
    return 0
}

func decode(_ bytes: [UInt8], piece: Int) -> String {
    var decoder = ChunkedDecoder()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + piece)
        switch bytes[offset..<end].withUnsafeBytes({ decoder.decode($0) }) {
        case .needsMore:
            offset = end
        case .complete(let used):
            if used <= 0 || used > end - offset { fatalError("complete after \(used) of \(end - offset) bytes fed") }
            if decoder.dataBytes > HTTPLimits.maximumBodyBytes { fatalError("\(decoder.dataBytes) data bytes, over the body limit") }
            return "complete \(offset + used) data \(decoder.dataBytes)"
        case .failure(let error):
            return "failure \(error.status) \(error.detail)"
        }
    }
    return "needs more, data \(decoder.dataBytes)"
}
