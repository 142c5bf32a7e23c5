import Foundation

/// One element of an `Accept` field (RFC 9110 §12.5.1): `type/subtype` with wildcards and
/// its q-value, for the few resources that have more than one media type.
struct MediaRange: Equatable {
    var type: String
    var subtype: String
    /// Per mille: `q=0.8` is 800.
    var quality: Int

    /// The elements of an `Accept` value, lowercased; malformed elements are left out.
    /// No field at all is the empty list, which prefers nothing.
    static func list(_ field: String?) -> [MediaRange] {
        guard let field else { return [] }
        return field.split(separator: ",").compactMap { element in
            let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let names = parts.first?.lowercased().split(separator: "/", omittingEmptySubsequences: false) ?? []
            guard names.count == 2, !names[0].isEmpty, !names[1].isEmpty else { return nil }
            var quality = 1000
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
                guard let value = Double(pair[1]), (0...1).contains(value) else { return nil }
                quality = Int((value * 1000).rounded())
            }
            return MediaRange(type: String(names[0]), subtype: String(names[1]), quality: quality)
        }
    }

    /// The q-value the list gives a media type: that of the most specific range matching
    /// it (`text/html` before `text/*` before `*/*`), 0 when none does.
    static func quality(of mediaType: String, in ranges: [MediaRange]) -> Int {
        let names = mediaType.split(separator: "/")
        var best: (specificity: Int, quality: Int) = (-1, 0)
        for range in ranges {
            let specificity: Int
            if range.type == names[0] && range.subtype == names[1] {
                specificity = 2
            } else if range.type == names[0] && range.subtype == "*" {
                specificity = 1
            } else if range.type == "*" && range.subtype == "*" {
                specificity = 0
            } else {
                continue
            }
            if specificity > best.specificity { best = (specificity, range.quality) }
        }
        return best.quality
    }

    /// True when the client ranks `wanted` strictly above `usual`: a tie (`*/*`, or no
    /// `Accept`) keeps the usual representation.
    static func prefers(_ wanted: String, over usual: String, in ranges: [MediaRange]) -> Bool {
        quality(of: wanted, in: ranges) > quality(of: usual, in: ranges)
    }
}
