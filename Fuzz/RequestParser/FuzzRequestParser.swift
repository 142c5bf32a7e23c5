import HTTPParsing

/// libFuzzer entry: the request parser fed the input whole, then split at points the input
/// itself chooses; the answers (requests with their parts, or the refusal) must be the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = count == 0 ? [] : Array(UnsafeRawBufferPointer(start: start, count: count))
    let whole = ParserAnswers.of(bytes, splits: [])
    var seed = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
    for byte in bytes.prefix(64) { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01b3 }
    var splits: [Int] = []
    var offset = 0
    while offset < bytes.count {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        offset += 1 + Int((seed >> 33) % 97)
        if offset < bytes.count { splits.append(offset) }
    }
    let split = ParserAnswers.of(bytes, splits: splits)
    // fatalError, not precondition: an optimized build drops a precondition's message.
    if whole != split { fatalError("answers differ when split at \(splits): \(whole) vs \(split)") }
    let head = Array(bytes.prefix(2048))
    let byteByByte = ParserAnswers.of(head, splits: head.isEmpty ? [] : Array(1..<head.count))
    if ParserAnswers.of(head, splits: []) != byteByByte { fatalError("answers differ byte by byte") }
    return 0
}

/// What the parser made of a stream, as a connection feeds it: bytes accumulate until a
/// request is complete, then its bytes are dropped and parsing goes on with the rest.
enum ParserAnswers {
    static func of(_ bytes: [UInt8], splits: [Int]) -> [String] {
        var parser = RequestParser()
        var pending: [UInt8] = []
        var answers: [String] = []
        var cuts = splits + [bytes.count]
        var from = 0
        cuts.sort()
        for cut in cuts where cut > from {
            pending += bytes[from..<cut]
            from = cut
            parsing: while !pending.isEmpty {
                switch pending.withUnsafeBytes({ parser.parse($0) }) {
                case .incomplete, .awaitingBody:
                    break parsing
                case .failure(let error):
                    answers.append("failure \(error.status) \(error.detail)")
                    return answers
                case .request(let head, let consumed):
                    if consumed <= 0 || consumed > pending.count { fatalError("consumed \(consumed) of \(pending.count)") }
                    let text = { (span: Range<Int>) in String(decoding: pending[span], as: UTF8.self) }
                    let fields = pending.withUnsafeBytes { RequestParser.fields(of: head, in: $0) }
                        .map { text($0.name) + ":" + text($0.value) }
                    answers.append("\(text(head.method)) \(text(head.target)) 1.\(head.minorVersion) \(head.body) "
                        + "\(head.keepAlive) \(fields) \(consumed)")
                    pending.removeFirst(consumed)
                }
            }
        }
        return answers
    }
}
