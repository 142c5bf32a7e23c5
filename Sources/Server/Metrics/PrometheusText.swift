/// Lines of the Prometheus text exposition format (version 0.0.4): a family's `# HELP` and
/// `# TYPE`, then its samples.
struct PrometheusText {
    private(set) var lines: [String] = []

    mutating func family(_ name: String, _ type: String, _ help: String) {
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(type)")
    }

    mutating func sample(_ name: String, _ value: Int) { lines.append(name + " \(value)") }
    mutating func sample(_ name: String, _ value: Double) { lines.append(name + " " + Self.number(value)) }

    mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: Int) {
        lines.append(name + Self.labelSet(labels) + " \(value)")
    }

    mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: Double) {
        lines.append(name + Self.labelSet(labels) + " " + Self.number(value))
    }

    /// One histogram's series: cumulative `_bucket`s (`le`), `_sum` and `_count`.
    /// `counts` has one entry per bound and a last one for the observations above them all.
    mutating func histogram(_ name: String, _ labels: [(String, String)], bounds: [Double], counts: [Int], sum: Double) {
        var cumulative = 0
        for (index, count) in counts.enumerated() {
            cumulative += count
            let le = index < bounds.count ? Self.number(bounds[index]) : "+Inf"
            lines.append(name + "_bucket" + Self.labelSet(labels + [("le", le)]) + " \(cumulative)")
        }
        lines.append(name + "_sum" + Self.labelSet(labels) + " " + Self.number(sum))
        lines.append(name + "_count" + Self.labelSet(labels) + " \(cumulative)")
    }

    static func labelSet(_ labels: KeyValuePairs<String, String>) -> String {
        labelSet(labels.map { ($0.key, $0.value) })
    }

    static func labelSet(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Integers without a fraction (`1`, not `1.0`), others in Swift's shortest exact form.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
