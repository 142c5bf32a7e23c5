/// Parses HTTP/1.1 requests from bytes as they arrive: incremental, bounded, and never
/// trusting a length it has not checked.
///
/// The parser keeps no copy of the bytes. It reports where the parts of a request lie in
/// the caller's buffer, so a request answered from the cache costs no allocation; the
/// caller materializes strings only when it needs them. Between calls it remembers how far
/// it has scanned, so a head that arrives one byte at a time is not scanned again and again.
struct RequestParser {
    /// A byte range within the buffer passed to `parse`.
    typealias Span = Range<Int>

    struct Head {
        var method: Span
        var target: Span
        var minorVersion: Int
        /// The header lines, from the first field to the CRLF before the blank line; read
        /// by `fields(in:)` only when a request goes to the routes, so that a cached answer
        /// allocates nothing.
        var fieldSection: Span
        var fieldCount: Int
        var keepAlive: Bool
        var expectsContinue: Bool
        var hasHost: Bool
        var hasConditional: Bool
        var body: Body
    }

    enum Body: Equatable {
        case none
        case length(Int)
        case chunked
    }

    enum Outcome {
        /// More bytes are needed.
        case incomplete
        /// A whole request: its head and the bytes it took (head and body).
        case request(Head, consumed: Int)
        /// The head is complete and asks for `100 Continue` before its body; call again
        /// once the body arrives.
        case awaitingBody(Head)
        case failure(HTTPError)
    }

    /// How far the current request's head has been searched for its end.
    private var scanned = 0

    /// Parses the request at the start of `buffer`.
    mutating func parse(_ buffer: UnsafeRawBufferPointer) -> Outcome {
        var start = 0
        // RFC 9112 §2.2: empty lines before a request line are ignored.
        while start + 1 < buffer.count, buffer[start] == 0x0D, buffer[start + 1] == 0x0A { start += 2 }
        if scanned < 0 { return .failure(.badRequest("lines of a request head must end with CRLF, not a bare LF")) }
        guard let headEnd = findHeadEnd(buffer, from: start) else {
            if scanned < 0 { return .failure(.badRequest("lines of a request head must end with CRLF, not a bare LF")) }
            let received = buffer.count - start
            if !containsLineEnd(buffer, from: start, limit: min(buffer.count, start + HTTPLimits.maximumRequestLineBytes)),
               received > HTTPLimits.maximumRequestLineBytes {
                return .failure(.uriTooLong)
            }
            if received > HTTPLimits.maximumHeaderBytes { return .failure(.headersTooLarge) }
            return .incomplete
        }
        if headEnd - start > HTTPLimits.maximumHeaderBytes { return .failure(.headersTooLarge) }
        let head: Head
        switch parseHead(buffer, start: start, end: headEnd) {
        case .success(let parsed): head = parsed
        case .failure(let error): return .failure(error)
        }
        let bodyStart = headEnd + 4
        switch head.body {
        case .none:
            scanned = 0
            return .request(head, consumed: bodyStart)
        case .length(let length):
            if buffer.count - bodyStart >= length {
                scanned = 0
                return .request(head, consumed: bodyStart + length)
            }
            return head.expectsContinue && buffer.count == bodyStart ? .awaitingBody(head) : .incomplete
        case .chunked:
            switch ChunkedBody.measure(buffer, from: bodyStart) {
            case .complete(let end):
                scanned = 0
                return .request(head, consumed: end)
            case .incomplete:
                return head.expectsContinue && buffer.count == bodyStart ? .awaitingBody(head) : .incomplete
            case .failure(let error):
                return .failure(error)
            }
        }
    }

    /// The index of the CRLF CRLF that ends the head, or nil. A blank line made of bare LFs
    /// sets `scanned` to -1: such a head would otherwise wait for a CRLF CRLF that never comes.
    private mutating func findHeadEnd(_ b: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = max(start, scanned - 3)
        let limit = min(b.count, start + HTTPLimits.maximumHeaderBytes + 4)
        while i + 2 < limit {
            let fourBytes = i + 3 < limit
            if fourBytes, b[i] == 0x0D, b[i + 1] == 0x0A, b[i + 2] == 0x0D, b[i + 3] == 0x0A { return i }
            if b[i + 1] == 0x0A, b[i + 2] == 0x0A || (fourBytes && b[i + 2] == 0x0D && b[i] != 0x0D && b[i + 3] == 0x0A) {
                scanned = -1
                return nil
            }
            i += 1
        }
        scanned = i
        return nil
    }

    private func containsLineEnd(_ b: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Bool {
        var i = start
        while i < limit {
            if b[i] == 0x0A { return true }
            i += 1
        }
        return false
    }

    // MARK: - Head

    private func parseHead(_ b: UnsafeRawBufferPointer, start: Int, end: Int) -> Result<Head, HTTPError> {
        // Request line: method SP request-target SP HTTP-version CRLF
        var i = start
        while i < end, isTokenByte(b[i]) { i += 1 }
        let method = start..<i
        guard !method.isEmpty, i < end, b[i] == 0x20 else { return .failure(.badRequest("malformed request line")) }
        i += 1
        let targetStart = i
        while i < end, b[i] > 0x20, b[i] < 0x7F { i += 1 }
        let target = targetStart..<i
        guard !target.isEmpty, i < end, b[i] == 0x20 else {
            return .failure(.badRequest(i < end && b[i] != 0x20 && b[i] != 0x0D
                ? "the request target has a byte that is not visible ASCII (percent-encode it)" : "malformed request line"))
        }
        if target.count > HTTPLimits.maximumRequestLineBytes { return .failure(.uriTooLong) }
        i += 1
        guard i + 8 <= end, b[i] == 0x48, b[i + 1] == 0x54, b[i + 2] == 0x54, b[i + 3] == 0x50, b[i + 4] == 0x2F,
              isDigit(b[i + 5]), b[i + 6] == 0x2E, isDigit(b[i + 7]) else {
            return .failure(.badRequest("malformed HTTP version"))
        }
        let major = Int(b[i + 5] - 0x30)
        let minor = Int(b[i + 7] - 0x30)
        i += 8
        guard i + 1 < end + 2, b[i] == 0x0D, b[i + 1] == 0x0A else { return .failure(.badRequest("malformed request line")) }
        guard major == 1 else { return .failure(.versionNotSupported) }
        if i - start > HTTPLimits.maximumRequestLineBytes { return .failure(.uriTooLong) }
        i += 2

        var head = Head(method: method, target: target, minorVersion: minor, fieldSection: min(i, end)..<end, fieldCount: 0, keepAlive: minor >= 1,
                        expectsContinue: false, hasHost: false, hasConditional: false, body: .none)
        var contentLength: Int?
        var transferEncodingSeen = false
        var chunked = false
        var connectionClose = false
        var connectionKeepAlive = false
        while i < end {
            // field-name ":" OWS field-value OWS CRLF; no obs-fold, no space before the colon.
            guard head.fieldCount < HTTPLimits.maximumHeaderCount else { return .failure(.headersTooLarge) }
            let nameStart = i
            while i < end, isTokenByte(b[i]) { i += 1 }
            guard i > nameStart, i < end, b[i] == 0x3A else {
                return .failure(.badRequest(b[nameStart] == 0x20 || b[nameStart] == 0x09
                    ? "obsolete line folding is not accepted" : "malformed header field"))
            }
            let name = nameStart..<i
            i += 1
            while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let valueStart = i
            while i < end, b[i] != 0x0D {
                let c = b[i]
                guard c >= 0x20 || c == 0x09, c != 0x7F else { return .failure(.badRequest("control character in a header field")) }
                i += 1
            }
            var valueEnd = i
            while valueEnd > valueStart, b[valueEnd - 1] == 0x20 || b[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            guard i + 1 < end + 2, b[i] == 0x0D, b[i + 1] == 0x0A else { return .failure(.badRequest("bare CR in the head")) }
            i += 2
            let value = valueStart..<valueEnd
            head.fieldCount += 1

            // Only the fields the engine acts on are recognized, by length then bytes.
            if Self.name(b, name, is: "host") {
                if head.hasHost { return .failure(.badRequest("more than one Host header")) }
                head.hasHost = true
            } else if Self.name(b, name, is: "content-length") {
                // RFC 9112 §6.3: one length, or the message could be framed two ways
                // (request smuggling). Repeated fields and lists are refused, even when equal.
                if contentLength != nil { return .failure(.badRequest("more than one Content-Length header")) }
                switch parseContentLength(b, value) {
                case .valid(let length): contentLength = length
                case .tooLarge: return .failure(.contentTooLarge)
                case .invalid: return .failure(.badRequest("invalid Content-Length: it must be one decimal number"))
                }
            } else if Self.name(b, name, is: "connection") {
                Self.forEachToken(b, value) { token in
                    if Self.name(b, token, is: "close") { connectionClose = true }
                    if Self.name(b, token, is: "keep-alive") { connectionKeepAlive = true }
                }
            } else if Self.name(b, name, is: "if-none-match") || Self.name(b, name, is: "if-modified-since")
                        || Self.name(b, name, is: "if-match") || Self.name(b, name, is: "if-unmodified-since")
                        || Self.name(b, name, is: "if-range") || Self.name(b, name, is: "range") {
                head.hasConditional = true
            } else if Self.name(b, name, is: "expect") {
                guard Self.name(b, value, is: "100-continue") else { return .failure(.expectationFailed) }
                head.expectsContinue = minor >= 1
            } else if Self.name(b, name, is: "transfer-encoding") {
                transferEncodingSeen = true
                let codings = text(b, value).lowercased().split(separator: ",").map { $0.trimmingCharacters(in: [" ", "\t"]) }
                for (index, coding) in codings.enumerated() {
                    if coding == "chunked" {
                        guard index == codings.count - 1, !chunked else { return .failure(.badRequest("chunked must be the final transfer coding, once")) }
                        chunked = true
                    } else if !coding.isEmpty {
                        return .failure(.notImplemented("transfer coding '\(coding)' is not supported"))
                    }
                }
            }
        }
        if minor >= 1 && !head.hasHost { return .failure(.badRequest("HTTP/1.1 requests need a Host header")) }
        if transferEncodingSeen {
            // RFC 9112 §6.1: with both, the message may be a smuggling attempt: refuse it.
            if contentLength != nil { return .failure(.badRequest("both Transfer-Encoding and Content-Length")) }
            if minor == 0 { return .failure(.badRequest("Transfer-Encoding in an HTTP/1.0 request")) }
            guard chunked else { return .failure(.badRequest("a request's transfer coding must end with chunked")) }
            head.body = .chunked
        } else if let contentLength, contentLength > 0 {
            if contentLength > HTTPLimits.maximumBodyBytes { return .failure(.contentTooLarge) }
            head.body = .length(contentLength)
        }
        head.keepAlive = minor >= 1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        return .success(head)
    }

    private enum ContentLength { case valid(Int), tooLarge, invalid }

    private func parseContentLength(_ b: UnsafeRawBufferPointer, _ value: Span) -> ContentLength {
        guard !value.isEmpty else { return .invalid }
        var length = 0
        for i in value {
            guard isDigit(b[i]) else { return .invalid }
            // Past the body limit the exact number no longer matters (and cannot overflow).
            if length <= HTTPLimits.maximumBodyBytes { length = length * 10 + Int(b[i] - 0x30) }
        }
        return length > HTTPLimits.maximumBodyBytes ? .tooLarge : .valid(length)
    }

    /// Case-insensitive comparison with a lowercase ASCII name (`| 0x20` lowercases letters;
    /// the other bytes of the names compared here already have that bit).
    static func name(_ b: UnsafeRawBufferPointer, _ span: Span, is lowercase: StaticString) -> Bool {
        guard span.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        var k = 0
        for i in span {
            guard b[i] | 0x20 == expected[k] else { return false }
            k += 1
        }
        return true
    }

    /// Calls `body` with each element of a comma-separated list, without its whitespace.
    static func forEachToken(_ b: UnsafeRawBufferPointer, _ span: Span, _ body: (Span) -> Void) {
        var start = span.lowerBound
        while start <= span.upperBound {
            var end = start
            while end < span.upperBound, b[end] != 0x2C { end += 1 }
            var first = start, last = end
            while first < last, b[first] == 0x20 || b[first] == 0x09 { first += 1 }
            while last > first, b[last - 1] == 0x20 || b[last - 1] == 0x09 { last -= 1 }
            if first < last { body(first..<last) }
            start = end + 1
        }
    }

    /// The header fields, for a request that goes to the routes. The section was checked
    /// when the head was parsed, so this only splits it.
    static func fields(of head: Head, in b: UnsafeRawBufferPointer) -> [(name: Span, value: Span)] {
        var fields: [(name: Span, value: Span)] = []
        fields.reserveCapacity(head.fieldCount)
        var i = head.fieldSection.lowerBound
        let end = head.fieldSection.upperBound
        while i < end {
            let nameStart = i
            while b[i] != 0x3A { i += 1 }
            let name = nameStart..<i
            i += 1
            while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let valueStart = i
            while i < end, b[i] != 0x0D { i += 1 }
            var valueEnd = i
            while valueEnd > valueStart, b[valueEnd - 1] == 0x20 || b[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            fields.append((name, valueStart..<valueEnd))
            i += 2
        }
        return fields
    }

    private func text(_ b: UnsafeRawBufferPointer, _ span: Span) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: b[span]), as: UTF8.self)
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// RFC 9110 §5.6.2 tchar.
    private func isTokenByte(_ c: UInt8) -> Bool { tokenTable[Int(c)] }
}

/// RFC 9110 token characters, as a table for the hot loop.
private let tokenTable: [Bool] = (0..<256).map { c in
    switch UInt8(c) {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(c))
    }
}

/// Measures a chunked body in place (RFC 9112 §7.1) without copying it.
enum ChunkedBody {
    enum Measure { case incomplete, complete(end: Int), failure(HTTPError) }

    static func measure(_ b: UnsafeRawBufferPointer, from start: Int) -> Measure {
        var i = start
        var total = 0
        while true {
            // chunk-size [ chunk-ext ] CRLF
            let lineStart = i
            while i < b.count, b[i] != 0x0A {
                if i - lineStart > HTTPLimits.maximumChunkLineBytes { return .failure(.badRequest("chunk size line too long")) }
                i += 1
            }
            guard i < b.count else { return .incomplete }
            guard i > lineStart, b[i - 1] == 0x0D else { return .failure(.badRequest("malformed chunk size line")) }
            var size = 0
            var j = lineStart
            var digits = 0
            while j < i - 1, let v = hexValue(b[j]) {
                size = size * 16 + v
                digits += 1
                j += 1
                if digits > 8 { return .failure(.contentTooLarge) }
            }
            guard digits > 0, j == i - 1 || b[j] == 0x3B || b[j] == 0x20 || b[j] == 0x09 else {
                return .failure(.badRequest("malformed chunk size"))
            }
            i += 1
            total += size
            if total > HTTPLimits.maximumBodyBytes { return .failure(.contentTooLarge) }
            if size == 0 {
                // trailer-section CRLF
                while true {
                    let fieldStart = i
                    while i < b.count, b[i] != 0x0A {
                        if i - fieldStart > HTTPLimits.maximumHeaderBytes { return .failure(.headersTooLarge) }
                        i += 1
                    }
                    guard i < b.count else { return .incomplete }
                    guard b[i - 1] == 0x0D else { return .failure(.badRequest("malformed chunked trailer")) }
                    i += 1
                    if i - fieldStart == 2 { return .complete(end: i) }
                }
            }
            guard b.count >= i + size + 2 else { return .incomplete }
            i += size
            guard b[i] == 0x0D, b[i + 1] == 0x0A else { return .failure(.badRequest("chunk data longer than its size")) }
            i += 2
        }
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }
}
