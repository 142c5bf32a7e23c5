import COpenSSL

/// OpenSSL reports failures on a per-thread queue. Every failure we see is read off it at
/// once (so the next call on this thread starts from an empty queue, as `SSL_get_error`
/// requires) and turned into words.
enum OpenSSLErrorQueue {
    /// The reasons on this thread's queue, oldest first, joined; the queue is left empty.
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                var text = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &text, text.count)
                reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return reasons.isEmpty ? "no reason given by OpenSSL" : reasons.joined(separator: "; ")
    }

    static func clear() { ERR_clear_error() }
}
