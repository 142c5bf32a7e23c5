import Foundation

/// Reads a folder of article files: `.txt` as scraped, `.json` as normalized.
public enum CorpusLoader {
    public struct Result: Sendable {
        public var articles: [Article]
        public var diagnostics: [Diagnostic]
    }

    /// Loads every `.txt` and `.json` file directly in `directory` (not its subfolders), in
    /// file-name order. A file that cannot be used is reported and skipped; the others load.
    public static func load(directory: String) throws(StoreError) -> Result {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw StoreError.unreadable("\(directory): \(error.localizedDescription)")
        }
        let files = names.sorted().filter { $0.hasSuffix(".txt") || $0.hasSuffix(".json") }
        // Files are independent: normalize them on every core, then report in name order.
        let outcomes = Outcomes(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            outcomes.set(index, loadFile(path: (directory as NSString).appendingPathComponent(files[index])))
        }
        var result = Result(articles: [], diagnostics: [])
        for (name, outcome) in zip(files, outcomes.values) {
            switch outcome {
            case .success(let article):
                result.articles.append(article)
                for warning in article.warnings {
                    result.diagnostics.append(Diagnostic(file: name, severity: .warning, message: warning))
                }
            case .failure(let error):
                result.diagnostics.append(Diagnostic(file: name, severity: .error, message: error.description))
            }
        }
        return result
    }

    /// One slot per file, written once each from the worker that loaded it.
    private final class Outcomes: @unchecked Sendable {
        private var slots: [Swift.Result<Article, StoreError>?]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ outcome: Swift.Result<Article, StoreError>) {
            lock.lock()
            slots[index] = outcome
            lock.unlock()
        }

        var values: [Swift.Result<Article, StoreError>] { slots.map { $0 ?? .failure(.unreadable("not loaded")) } }
    }

    /// One file, by its extension.
    public static func loadFile(path: String) -> Swift.Result<Article, StoreError> {
        let name = (path as NSString).lastPathComponent
        let id = (name as NSString).deletingPathExtension
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(.unreadable("\(name) could not be opened"))
        }
        if name.hasSuffix(".json") {
            do {
                let article = try JSONDecoder().decode(Article.self, from: data)
                guard article.format == Article.format else {
                    return .failure(.invalidJSON("format is '\(article.format)', expected '\(Article.format)'"))
                }
                return .success(article)
            } catch {
                return .failure(.invalidJSON(String(describing: error)))
            }
        }
        guard !data.isEmpty else { return .failure(.emptyFile) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(.notUTF8) }
        do {
            return .success(try ArticleNormalizer.normalize(text: text, id: id))
        } catch {
            return .failure(error)
        }
    }
}
