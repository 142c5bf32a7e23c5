import Store

/// libFuzzer entry: any bytes, as a scraped article file, either normalize or are refused
/// with a StoreError; never a crash, and the result encodes.
let extractor = ActorExtractor()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArticleNormalizer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = count == 0 ? [] : Array(UnsafeRawBufferPointer(start: start, count: count))
    let text = String(decoding: bytes, as: UTF8.self)
    if let article = try? ArticleNormalizer.normalize(text: text, id: "fuzz", extractor: extractor) {
        for update in article.updates { precondition(update.article == "fuzz") }
    }
    return 0
}
