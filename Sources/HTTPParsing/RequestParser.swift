/// Parses HTTP/1.1 requests from bytes as they arrive: incremental, bounded, and never
/// trusting a length it has not checked.
///
/// The parser keeps no copy of the bytes. It reports where the parts of a request lie in
/// the caller's buffer, so a request answered from the cache costs no allocation; the
/// caller materializes strings only when it needs them. The caller passes the bytes of the
/// current request from its start each time, with more appended; the parser remembers how
/// far it got (the head's scan, then the body's decoder), so no byte is examined twice
/// however the request is split.
public struct RequestParser: Sendable {
    /// A byte range within the buffer passed to `parse`.
    public typealias Span = Range<Int>

    public struct Head: Sendable {
        public var method: Span
        public var target: Span
        public var minorVersion: Int
        /// The header lines, from the first field to the CRLF before the blank line; read
        /// by `fields(in:)` only when a request goes to the routes, so that a cached answer
        /// allocates nothing.
        public var fieldSection: Span
        public var fieldCount: Int
        public var keepAlive: Bool
        public var expectsContinue: Bool
        /// The Host field's value, when there is one (HTTP/1.0 may leave it out).
        public var host: Span?
        public var body: Body
    }

    public enum Body: Equatable, Sendable {
        case none
        case length(Int)
        case chunked
    }

    public enum Outcome: Sendable {
        /// More bytes are needed.
        case incomplete
        /// A whole request: its head and the bytes it took (head and body).
        case request(Head, consumed: Int)
        /// The head is complete and asks for `100 Continue` before its body; call again
        /// once the body arrives.
        case awaitingBody(Head)
        /// The bytes are not a request; nothing after them can be framed either.
        case failure(HTTPError)
    }

    private enum BodyProgress: Sendable {
        case length(end: Int)
        /// The decoder has seen the bytes up to `decodedTo`.
        case chunked(ChunkedDecoder, decodedTo: Int)
    }

    private enum State: Sendable {
        /// Looking for the end of the head: the request line starts at `start` (after any
        /// empty lines), every byte before `scanned` has been searched, and the first line
        /// ends at `firstLineEnd` once seen.
        case head(start: Int, scanned: Int, firstLineEnd: Int?)
        case body(Head, BodyProgress)
    }

    private var state = State.head(start: 0, scanned: 0, firstLineEnd: nil)

    public init() {}

    /// Parses the request at the start of `buffer`.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer) -> Outcome {
        switch state {
        case .head(var start, var scanned, var firstLineEnd):
            let found = findHeadEnd(buffer, start: &start, scanned: &scanned, firstLineEnd: &firstLineEnd)
            switch found {
            case .failure(let error):
                state = .head(start: 0, scanned: 0, firstLineEnd: nil)
                return .failure(error)
            case .incomplete:
                state = .head(start: start, scanned: scanned, firstLineEnd: firstLineEnd)
                return .incomplete
            case .found(let headEnd):
                let head: Head
                switch parseHead(buffer, start: start, end: headEnd) {
                case .success(let parsed): head = parsed
                case .failure(let error):
                    state = .head(start: 0, scanned: 0, firstLineEnd: nil)
                    return .failure(error)
                }
                let bodyStart = headEnd + 4
                switch head.body {
                case .none:
                    state = .head(start: 0, scanned: 0, firstLineEnd: nil)
                    return .request(head, consumed: bodyStart)
                case .length(let length):
                    return continueBody(buffer, head, .length(end: bodyStart + length), bodyStart: bodyStart)
                case .chunked:
                    return continueBody(buffer, head, .chunked(ChunkedDecoder(), decodedTo: bodyStart), bodyStart: bodyStart)
                }
            }
        case .body(let head, let progress):
            return continueBody(buffer, head, progress, bodyStart: head.fieldSection.upperBound + 4)
        }
    }

    private mutating func continueBody(_ buffer: UnsafeRawBufferPointer, _ head: Head, _ progress: BodyProgress,
                                       bodyStart: Int) -> Outcome {
        var progress = progress
        switch progress {
        case .length(let end):
            if buffer.count >= end {
                state = .head(start: 0, scanned: 0, firstLineEnd: nil)
                return .request(head, consumed: end)
            }
        case .chunked(var decoder, let decodedTo):
            if buffer.count > decodedTo {
                switch decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[decodedTo...])) {
                case .complete(let used):
                    state = .head(start: 0, scanned: 0, firstLineEnd: nil)
                    return .request(head, consumed: decodedTo + used)
                case .failure(let error):
                    state = .head(start: 0, scanned: 0, firstLineEnd: nil)
                    return .failure(error)
                case .needsMore:
                    progress = .chunked(decoder, decodedTo: buffer.count)
                }
            }
        }
        state = .body(head, progress)
        return head.expectsContinue && buffer.count == bodyStart ? .awaitingBody(head) : .incomplete
    }

    private enum HeadEnd { case found(Int), incomplete, failure(HTTPError) }

    /// Finds the CRLF CRLF that ends the head, resuming where the last call stopped. Empty
    /// lines before the request line are skipped (RFC 9112 §2.2) but count toward the
    /// header limit. A bare LF ends nothing: it is refused at once, or a head made of bare
    /// LFs would wait for a CRLF CRLF that never comes.
    private func findHeadEnd(_ b: UnsafeRawBufferPointer, start: inout Int, scanned: inout Int,
                             firstLineEnd: inout Int?) -> HeadEnd {
        var i = scanned
        while i == start, i + 1 < b.count, b[i] == 0x0D, b[i + 1] == 0x0A {
            start += 2
            i += 2
        }
        let limit = min(b.count, HTTPLimits.maximumHeaderBytes)
        // A CR alone at the start may begin one more empty line: wait for its LF.
        if i == start, i + 1 == b.count, b[i] == 0x0D {
            scanned = i
            return .incomplete
        }
        while i < limit {
            if b[i] == 0x0A {
                guard i > start, b[i - 1] == 0x0D else {
                    return .failure(.badRequest("lines of a request head must end with CRLF, not a bare LF"))
                }
                if firstLineEnd == nil { firstLineEnd = i }
                // Every LF so far followed a CR, so LF CR LF here is CRLF CRLF.
                if i - start >= 3, b[i - 2] == 0x0A { return .found(i - 3) }
            }
            i += 1
        }
        scanned = i
        if firstLineEnd == nil, b.count - start > HTTPLimits.maximumRequestLineBytes { return .failure(.uriTooLong) }
        if b.count >= HTTPLimits.maximumHeaderBytes { return .failure(.headersTooLarge) }
        return .incomplete
    }

    // MARK: - Head

    private func parseHead(_ b: UnsafeRawBufferPointer, start: Int, end: Int) -> Result<Head, HTTPError> {
        // Request line: method SP request-target SP HTTP-version CRLF
        var i = start
        while i < end, HTTPGrammar.isTokenByte(b[i]) { i += 1 }
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
        if let violation = TargetForm.violation(b, target) { return .failure(.badRequest(violation)) }
        i += 1
        guard i + 8 <= end, b[i] == 0x48, b[i + 1] == 0x54, b[i + 2] == 0x54, b[i + 3] == 0x50, b[i + 4] == 0x2F,
              HTTPGrammar.isDigit(b[i + 5]), b[i + 6] == 0x2E, HTTPGrammar.isDigit(b[i + 7]) else {
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
                        expectsContinue: false, host: nil, body: .none)
        var contentLength: Int?
        var transferEncodingSeen = false
        var chunked = false
        var connectionClose = false
        var connectionKeepAlive = false
        while i < end {
            // field-name ":" OWS field-value OWS CRLF; no obs-fold, no space before the colon.
            guard head.fieldCount < HTTPLimits.maximumHeaderCount else { return .failure(.headersTooLarge) }
            let nameStart = i
            while i < end, HTTPGrammar.isTokenByte(b[i]) { i += 1 }
            guard i > nameStart, i < end, b[i] == 0x3A else {
                return .failure(.badRequest(b[nameStart] == 0x20 || b[nameStart] == 0x09
                    ? "obsolete line folding is not accepted" : "malformed header field"))
            }
            let name = nameStart..<i
            i += 1
            while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let valueStart = i
            while i < end, b[i] != 0x0D {
                guard HTTPGrammar.isFieldValueByte(b[i]) else { return .failure(.badRequest("control character in a header field")) }
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
                // RFC 9112 §3.2: one Host, and a valid one, or the request is refused.
                if head.host != nil { return .failure(.badRequest("more than one Host header")) }
                guard HostGrammar.isValidHostField(b, value) else {
                    return .failure(.badRequest("invalid Host header: it must be a host name or IP address with an optional port"))
                }
                head.host = value
            } else if Self.name(b, name, is: "content-length") {
                // RFC 9112 §6.3: one length, or the message could be framed two ways
                // (request smuggling). Repeated fields and lists are refused, even when equal.
                if contentLength != nil { return .failure(.badRequest("more than one Content-Length header")) }
                switch HTTPGrammar.decimal(b, value) {
                case .value(let length): contentLength = length
                case .tooLargeToHold: return .failure(.badRequest("invalid Content-Length: the number is too large to hold"))
                case .invalid: return .failure(.badRequest("invalid Content-Length: it must be one decimal number"))
                }
            } else if Self.name(b, name, is: "connection") {
                Self.forEachToken(b, value) { token in
                    if Self.name(b, token, is: "close") { connectionClose = true }
                    if Self.name(b, token, is: "keep-alive") { connectionKeepAlive = true }
                }
            } else if Self.name(b, name, is: "expect") {
                guard Self.name(b, value, is: "100-continue") else { return .failure(.expectationFailed) }
                head.expectsContinue = minor >= 1
            } else if Self.name(b, name, is: "transfer-encoding") {
                transferEncodingSeen = true
                // RFC 9112 §6.1: chunked must come last, once; a coding the engine cannot
                // undo means the body cannot be framed (501).
                var failure: HTTPError?
                Self.forEachToken(b, value) { coding in
                    guard failure == nil else { return }
                    if chunked {
                        failure = .badRequest("chunked must be the final transfer coding, once")
                    } else if Self.name(b, coding, is: "chunked") {
                        chunked = true
                    } else {
                        failure = .notImplemented("transfer coding '\(text(b, coding))' is not supported")
                    }
                }
                if let failure { return .failure(failure) }
            }
        }
        if minor >= 1 && head.host == nil { return .failure(.badRequest("HTTP/1.1 requests need a Host header")) }
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

    /// Case-insensitive comparison with a lowercase ASCII name (`| 0x20` lowercases letters;
    /// the other bytes of the names compared here already have that bit).
    public static func name(_ b: UnsafeRawBufferPointer, _ span: Span, is lowercase: StaticString) -> Bool {
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
    public static func forEachToken(_ b: UnsafeRawBufferPointer, _ span: Span, _ body: (Span) -> Void) {
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
    public static func fields(of head: Head, in b: UnsafeRawBufferPointer) -> [(name: Span, value: Span)] {
        var fields: [(name: Span, value: Span)] = []
        fields.reserveCapacity(head.fieldCount)
        forEachField(of: head, in: b) { fields.append(($0, $1)) }
        return fields
    }

    /// Calls `body` with each field's name and trimmed value, in order, without allocating:
    /// the one walk of a checked field section (every line is `name:value CRLF`).
    public static func forEachField(of head: Head, in b: UnsafeRawBufferPointer, _ body: (_ name: Span, _ value: Span) -> Void) {
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
            body(name, valueStart..<valueEnd)
            i += 2
        }
    }

    private func text(_ b: UnsafeRawBufferPointer, _ span: Span) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: b[span]), as: UTF8.self)
    }

}
