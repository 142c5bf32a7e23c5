import HTTPParsing

/// The request fields that choose among the representations of one target, found in one
/// pass over the head's field section without allocating, so that a request answered from
/// the cache still gets its own encoding and its own 304.
struct RepresentationFields {
    /// `Accept`, which the routes read (the reader page or JSON at `/`, JSON-LD for an
    /// article): part of the cache key.
    var accept: RequestParser.Span?
    var acceptEncoding: RequestParser.Span?
    var ifNoneMatch: RequestParser.Span?

    init(_ head: RequestParser.Head, in b: UnsafeRawBufferPointer) {
        var i = head.fieldSection.lowerBound
        let end = head.fieldSection.upperBound
        // The parser checked the section: every line is `name:value CRLF`.
        while i < end {
            let nameStart = i
            while b[i] != UInt8(ascii: ":") { i += 1 }
            let name = nameStart..<i
            i += 1
            while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let valueStart = i
            while i < end, b[i] != 0x0D { i += 1 }
            var valueEnd = i
            while valueEnd > valueStart, b[valueEnd - 1] == 0x20 || b[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            i += 2
            let value = valueStart..<valueEnd
            switch name.count {
            case 6 where accept == nil && RequestParser.name(b, name, is: "accept"):
                accept = value
            case 15 where acceptEncoding == nil && RequestParser.name(b, name, is: "accept-encoding"):
                acceptEncoding = value
            case 13 where ifNoneMatch == nil && RequestParser.name(b, name, is: "if-none-match"):
                ifNoneMatch = value
            default:
                break
            }
        }
    }
}
