/// What `/metrics` says about the corpus: its size, the files refused, and every load and
/// reload of the folder (how many, how long, the last that worked). Loads are rare, so
/// this is a plain value kept under the metrics' lock.
struct CorpusMetrics {
    private(set) var articles = 0
    private(set) var updates = 0
    private(set) var actors = 0
    private(set) var refusedFiles = 0
    /// Counts by kind (0 the first load, 1 a reload) and result (0 success, 1 failure).
    private(set) var loads = [[0, 0], [0, 0]]
    private var durationBuckets = [[Int]](repeating: [Int](repeating: 0, count: Self.durationBounds.count + 1), count: 2)
    private var durationSums = [0.0, 0.0]
    /// Seconds since the epoch of the last load that succeeded.
    private(set) var lastSuccess: Double?

    static let kinds = ["initial", "reload"]
    static let results = ["success", "failure"]
    /// Seconds: the sample corpus loads in milliseconds, a cold 200 MB corpus in minutes.
    static let durationBounds: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]

    mutating func recordLoad(reload: Bool, seconds: Double, succeeded: Bool, at now: Double) {
        let kind = reload ? 1 : 0
        loads[kind][succeeded ? 0 : 1] += 1
        durationBuckets[kind][Self.durationBounds.firstIndex { seconds <= $0 } ?? Self.durationBounds.count] += 1
        durationSums[kind] += seconds
        if succeeded { lastSuccess = now }
    }

    mutating func set(articles: Int, updates: Int, actors: Int, refusedFiles: Int) {
        self.articles = articles
        self.updates = updates
        self.actors = actors
        self.refusedFiles = refusedFiles
    }

    func render(into text: inout PrometheusText) {
        text.family("liveblog_articles", "gauge", "Articles in the loaded store.")
        text.sample("liveblog_articles", articles)
        text.family("liveblog_updates", "gauge", "Updates in the loaded store.")
        text.sample("liveblog_updates", updates)
        text.family("liveblog_actors", "gauge", "Actors in the loaded store.")
        text.sample("liveblog_actors", actors)
        text.family("liveblog_corpus_files_refused", "gauge", "Files of the articles folder that the last load could not use.")
        text.sample("liveblog_corpus_files_refused", refusedFiles)
        text.family("liveblog_corpus_loads_total", "counter", "Loads of the articles folder, by kind (initial, reload) and result.")
        for (kind, kindName) in Self.kinds.enumerated() {
            for (result, resultName) in Self.results.enumerated() {
                text.sample("liveblog_corpus_loads_total", ["kind": kindName, "result": resultName], loads[kind][result])
            }
        }
        text.family("liveblog_corpus_load_duration_seconds", "histogram", "Time to load or reload the articles folder.")
        for (kind, kindName) in Self.kinds.enumerated() {
            text.histogram("liveblog_corpus_load_duration_seconds", [("kind", kindName)], bounds: Self.durationBounds,
                           counts: durationBuckets[kind], sum: durationSums[kind])
        }
        text.family("liveblog_corpus_last_success_timestamp_seconds", "gauge",
                    "When the last load that succeeded ended, in seconds since the epoch (0: none yet).")
        text.sample("liveblog_corpus_last_success_timestamp_seconds", lastSuccess ?? 0)
    }
}
