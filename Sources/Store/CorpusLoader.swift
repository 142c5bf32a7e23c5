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
        var result = Result(articles: [], diagnostics: [])
        for name in names.sorted() where name.hasSuffix(".txt") || name.hasSuffix(".json") {
            let path = (directory as NSString).appendingPathComponent(name)
            switch loadFile(path: path) {
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
