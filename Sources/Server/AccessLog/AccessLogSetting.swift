/// Whether `--access-log` is on: the flag, else `LIVEBLOG_ACCESS_LOG` (`1`, `true`, `yes`,
/// `on`; `0`, `false`, `no`, `off` or empty for off).
enum AccessLogSetting {
    static func enabled(flag: Bool, environment: String?) throws(CommandFailure) -> Bool {
        if flag { return true }
        guard let value = environment?.lowercased() else { return false }
        switch value {
        case "1", "true", "yes", "on": return true
        case "", "0", "false", "no", "off": return false
        default: throw CommandFailure("LIVEBLOG_ACCESS_LOG must be 1, true, yes or on (or 0, false, no, off), got '\(value)'")
        }
    }
}
