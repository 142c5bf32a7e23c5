import Glibc
import Store

/// libFuzzer entry: any bytes, as a scraped article file, either normalize or are refused
/// with a StoreError; never a crash, never slower than `SlowUnit`'s bound, and the result's
/// updates belong to the article.
let extractor = ActorExtractor()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArticleNormalizer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    _ = SlowUnit.warmUp
    let bytes = count == 0 ? [] : Array(UnsafeRawBufferPointer(start: start, count: count))
    let text = String(decoding: bytes, as: UTF8.self)
    let began = SlowUnit.threadCPUSeconds()
    let article = try? ArticleNormalizer.normalize(text: text, id: "fuzz", extractor: extractor)
    let took = SlowUnit.threadCPUSeconds() - began
    precondition(took <= SlowUnit.budget(bytes: count),
                 "slow unit: \(count) bytes took \(took) s of CPU, over the bound of \(SlowUnit.budget(bytes: count)) s")
    for update in article?.updates ?? [] { precondition(update.article == "fuzz") }
    return 0
}

/// The normalizer must stay linear: no input slower than 1 s per MB in a release build
/// (issue 11). This build is slower throughout: AddressSanitizer and libFuzzer's coverage
/// counters on every edge (a 1 MB article: about 0.5 s of CPU in release, 3.8 s here,
/// measured on this 2-core machine while shared), so the bound is scaled by that slowdown.
/// CPU time of this thread, not wall time, so that a busy machine does not make units slow.
enum SlowUnit {
    static let secondsPerMegabyte = 1.0
    /// How much slower this instrumented build normalizes than a release build, rounded up.
    static let instrumentedSlowdown = 10.0
    /// Below this much CPU a unit is never slow: a scheduler tick or a page fault is not
    /// the normalizer's doing.
    static let floorSeconds = 0.2

    static func budget(bytes: Int) -> Double {
        max(floorSeconds, Double(bytes) / 1_000_000 * secondsPerMegabyte * instrumentedSlowdown)
    }

    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The first normalization loads the data files (gazetteers, zones, stamp styles): done
    /// once, before any unit is timed.
    static let warmUp: Void = {
        let article = " date 2021-03-04\n\nA lede of my own.\n\n12:00 GMT – Ferries resume at the harbour\nA body.\n"
        _ = try? ArticleNormalizer.normalize(text: article, id: "warm-up", extractor: extractor)
    }()
}
