/// Where `serve` keeps its normalization cache (`--cache-dir`, `LIVEBLOG_CACHE_DIR`), as the
/// contract sets it: the flag, else the variable, else `$XDG_CACHE_HOME/liveblog`, else
/// `~/.cache/liveblog`; `none` in the flag or the variable turns the cache off.
enum CacheSettings: Equatable {
    /// Cache in this folder.
    case directory(String)
    /// Asked for no cache.
    case off
    /// No folder was given and there is no home to put one in: say why, once, and serve.
    case unavailable(String)

    /// The word that turns the cache off.
    static let offWord = "none"
    static let variable = "LIVEBLOG_CACHE_DIR"
    static let folderName = "liveblog"

    /// Empty values count as unset, as the XDG base directory specification says; so does a
    /// relative `XDG_CACHE_HOME`, which it says to ignore.
    static func resolve(flag: String?, environment: [String: String]) -> CacheSettings {
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        if let chosen = given(flag) ?? given(environment[variable]) {
            return chosen == offWord ? .off : .directory(chosen)
        }
        if let xdg = given(environment["XDG_CACHE_HOME"]), xdg.hasPrefix("/") {
            return .directory(join(xdg, folderName))
        }
        if let home = given(environment["HOME"]) {
            return .directory(join(join(home, ".cache"), folderName))
        }
        return .unavailable("no --cache-dir, \(variable), XDG_CACHE_HOME or HOME is set; serving without a normalization cache")
    }

    /// The folder to cache in, nil when there is none.
    var directory: String? {
        if case .directory(let path) = self { return path }
        return nil
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
