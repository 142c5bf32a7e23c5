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
    SlowUnit.check(seconds: SlowUnit.threadCPUSeconds() - began, bytes: count)
    // fatalError, not precondition: an optimized build drops a precondition's message.
    for update in article?.updates ?? [] where update.article != "fuzz" {
        fatalError("update \(update.id) names article \(update.article), not the one normalized")
    }
    return 0
}

/// The normalizer must stay linear: no input slower than 1 s per MB in a release build
/// (issue 11). This build is slower throughout (AddressSanitizer, and libFuzzer's counters on
/// every edge): a 1 MB article takes about 1.3 s of CPU here against 0.47 s for a release
/// `liveblog normalize` of it, JSON output included (measured on this 2-core machine while
/// shared), so the bound is scaled by a slowdown rounded up from that.
/// CPU time of this thread, not wall time, so that a busy machine does not make units slow.
enum SlowUnit {
    static let secondsPerMegabyte = 1.0
    /// How much slower this instrumented build normalizes than a release build.
    static let instrumentedSlowdown = 4.0
    /// Below this much CPU a unit is never slow: a page fault or an allocator refill is not
    /// the normalizer's doing.
    static let floorSeconds = 0.1

    static func budget(bytes: Int) -> Double {
        max(floorSeconds, Double(bytes) / 1_000_000 * secondsPerMegabyte * instrumentedSlowdown)
    }

    /// The unit closest to its bound so far, printed when the run ends.
    nonisolated(unsafe) static var closest: (share: Double, seconds: Double, bytes: Int) = (0, 0, 0)

    static func check(seconds: Double, bytes: Int) {
        let share = seconds / budget(bytes: bytes)
        if share > 1 {
            fatalError("slow unit: \(bytes) bytes took \(seconds) s of CPU, over the bound of \(budget(bytes: bytes)) s")
        }
        if share > closest.share { closest = (share, seconds, bytes) }
    }

    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The first normalization loads the data files (gazetteers, zones, stamp styles): done
    /// once, before any unit is timed; and the closest unit is reported at exit.
    static let warmUp: Void = {
        let article = " date 2021-03-04\n\nA lede of my own.\n\n12:00 GMT – Ferries resume at the harbour\nA body.\n"
        _ = try? ArticleNormalizer.normalize(text: article, id: "warm-up", extractor: extractor)
        atexit {
            let (share, seconds, bytes) = SlowUnit.closest
            print("slow-unit bound: the closest unit took \(Int(share * 100)) % of its bound "
                + "(\(bytes) bytes in \(Int(seconds * 1000)) ms of CPU)")
        }
    }()
}
