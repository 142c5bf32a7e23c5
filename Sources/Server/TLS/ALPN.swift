/// Application-Layer Protocol Negotiation (RFC 7301), the server's half: pick the protocol
/// this server prefers among those a client offers.
enum ALPN {
    static let supportedNames: [[UInt8]] = TLSPolicy.applicationProtocols.map { Array($0.utf8) }

    /// The client's offer on the wire: a list of length-prefixed protocol names.
    /// Returns the range (inside `offer`) of the chosen name, or nil when no name we speak
    /// is offered, or when the list is malformed.
    static func select(from offer: UnsafeRawBufferPointer, preferring supported: [[UInt8]] = supportedNames) -> Range<Int>? {
        var names: [Range<Int>] = []
        var index = 0
        while index < offer.count {
            let length = Int(offer[index])
            let start = index + 1
            guard length > 0, start + length <= offer.count else { return nil }
            names.append(start..<start + length)
            index = start + length
        }
        for wanted in supported {
            if let match = names.first(where: { UnsafeRawBufferPointer(rebasing: offer[$0]).elementsEqual(wanted) }) {
                return match
            }
        }
        return nil
    }
}
