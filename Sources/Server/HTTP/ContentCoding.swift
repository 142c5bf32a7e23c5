import HTTPParsing

/// The content codings the server can send a body in, and the choice among them for one
/// request's `Accept-Encoding` (RFC 9110 §12.5.3).
enum ContentCoding: Int, CaseIterable, Sendable {
    case identity = 0, gzip, br

    /// The `Content-Encoding` value, and the suffix of this coding's entity tag.
    var token: String {
        switch self {
        case .identity: return "identity"
        case .gzip: return "gzip"
        case .br: return "br"
        }
    }

    /// The coding to send for an `Accept-Encoding` field value (nil when the request has
    /// none: then the client gets identity, as curl without `--compressed` expects).
    ///
    /// The highest q-value wins; on a tie the smaller body wins (`br`, then `gzip`, then
    /// identity). A coding not named takes the q-value of `*` when given, else it is refused;
    /// identity, when not named, takes `*`'s q-value, else it is acceptable but ranks below
    /// every coding named with a q above 0 (`gzip;q=0.5` still means gzip). With nothing
    /// acceptable, identity is sent rather than a 406: a body the client did not want beats
    /// no body. A malformed element is ignored.
    static func negotiate(_ value: UnsafeRawBufferPointer?) -> ContentCoding {
        guard let value else { return .identity }
        var weights = Weights()
        RequestParser.forEachToken(value, 0..<value.count) { element in
            weights.read(value, element)
        }
        return weights.choice
    }

    /// Per-mille q-values, as the elements of the field name them.
    private struct Weights {
        var named: [Int?] = [nil, nil, nil]
        var wildcard: Int?
        /// Identity is acceptable unless refused, but below any coding the client names.
        static let identityByDefault = 1

        mutating func read(_ b: UnsafeRawBufferPointer, _ element: RequestParser.Span) {
            var nameEnd = element.lowerBound
            while nameEnd < element.upperBound, b[nameEnd] != UInt8(ascii: ";"),
                  b[nameEnd] != 0x20, b[nameEnd] != 0x09 { nameEnd += 1 }
            let name = element.lowerBound..<nameEnd
            guard let quality = Self.quality(b, nameEnd..<element.upperBound) else { return }
            if RequestParser.name(b, name, is: "br") {
                named[ContentCoding.br.rawValue] = quality
            } else if RequestParser.name(b, name, is: "gzip") || RequestParser.name(b, name, is: "x-gzip") {
                named[ContentCoding.gzip.rawValue] = quality
            } else if RequestParser.name(b, name, is: "identity") {
                named[ContentCoding.identity.rawValue] = quality
            } else if name.count == 1, b[name.lowerBound] == UInt8(ascii: "*") {
                wildcard = quality
            }
        }

        var choice: ContentCoding {
            var best = ContentCoding.identity
            var bestQuality = 0
            for coding in [ContentCoding.br, .gzip, .identity] {
                let implicit = coding == .identity ? (wildcard ?? Self.identityByDefault) : (wildcard ?? 0)
                let quality = named[coding.rawValue] ?? implicit
                if quality > bestQuality {
                    best = coding
                    bestQuality = quality
                }
            }
            return best
        }

        /// The q-value of the parameters after a coding (`;q=0.5`), 1000 when there is none,
        /// nil when it is malformed. Other parameters are not defined for Accept-Encoding.
        static func quality(_ b: UnsafeRawBufferPointer, _ rest: RequestParser.Span) -> Int? {
            var i = rest.lowerBound
            func skipSpace() { while i < rest.upperBound, b[i] == 0x20 || b[i] == 0x09 { i += 1 } }
            skipSpace()
            if i == rest.upperBound { return 1000 }
            guard b[i] == UInt8(ascii: ";") else { return nil }
            i += 1
            skipSpace()
            guard i + 1 < rest.upperBound, b[i] | 0x20 == UInt8(ascii: "q"), b[i + 1] == UInt8(ascii: "=") else { return nil }
            i += 2
            // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
            guard i < rest.upperBound, b[i] == UInt8(ascii: "0") || b[i] == UInt8(ascii: "1") else { return nil }
            var perMille = Int(b[i] - UInt8(ascii: "0")) * 1000
            i += 1
            if i < rest.upperBound, b[i] == UInt8(ascii: ".") {
                i += 1
                var scale = 100
                while i < rest.upperBound, scale > 0, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                    perMille += Int(b[i] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    i += 1
                }
            }
            skipSpace()
            guard i == rest.upperBound, perMille <= 1000 else { return nil }
            return perMille
        }
    }
}
