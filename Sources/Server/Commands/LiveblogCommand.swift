import ArgumentParser

/// `liveblog`: with no subcommand it serves; `normalize` prints articles as the store sees them.
struct LiveblogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liveblog",
        abstract: "Serves scraped news liveblogs as clean, timed, structured updates over HTTP.",
        discussion: """
            With no arguments, serves the sample corpus it ships on http://127.0.0.1:8080.
            Settings are read from flags, then from LIVEBLOG_ARTICLES, LIVEBLOG_HOST, LIVEBLOG_PORT,
            LIVEBLOG_LOOPS, LIVEBLOG_TLS_CERT and LIVEBLOG_TLS_KEY.
            """,
        version: BuildInfo.version,
        subcommands: [ServeCommand.self, NormalizeCommand.self, HealthcheckCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
