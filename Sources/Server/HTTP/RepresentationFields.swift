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
        RequestParser.forEachField(of: head, in: b) { name, value in
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
