/// What `liveblog --version` prints and `/metrics` reports as `liveblog_build_info`.
enum BuildInfo {
    static let version = "0.1.0"
}
