import Foundation

/// One article file's bytes -> its normalized article: `.txt` as scraped, `.json` as
/// `liveblog normalize` prints it. Pure: reading the folder is the server's business.
public enum ArticleFile {
    public static let extensions = ["json", "txt"]

    /// `name` is the file name; the article's id is the name without its extension.
    public static func article(name: String, bytes: [UInt8]) -> Result<Article, StoreError> {
        let id = articleID(ofFileNamed: name)
        if name.hasSuffix(".json") { return decodeJSON(bytes, id: id) }
        guard bytes.contains(where: { !Self.isSpace($0) }) else { return .failure(.emptyFile) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        do {
            return .success(try ArticleNormalizer.normalize(text: text, id: id))
        } catch {
            return .failure(error)
        }
    }

    /// Whether the folder's file `name` is an article file at all.
    public static func isArticleFile(_ name: String) -> Bool {
        !name.hasPrefix(".") && extensions.contains { name.hasSuffix("." + $0) } && name.count > 5
    }

    public static func articleID(ofFileNamed name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    private static func decodeJSON(_ bytes: [UInt8], id: String) -> Result<Article, StoreError> {
        guard bytes.contains(where: { !Self.isSpace($0) }) else { return .failure(.emptyFile) }
        let article: Article
        do {
            article = try JSONDecoder().decode(Article.self, from: Data(bytes))
        } catch let error as DecodingError {
            return .failure(.invalidJSON(Self.plainWords(error, bytes: bytes)))
        } catch {
            return .failure(.invalidJSON("the JSON could not be read"))
        }
        guard article.format == Article.format else {
            return .failure(.invalidJSON("its format is '\(article.format)', this server reads '\(Article.format)'"))
        }
        guard article.id == id else {
            return .failure(.invalidJSON("its id is '\(article.id)' but the file name says '\(id)'"))
        }
        return .success(article)
    }

    /// A decoding error as an operator can act on it: where, and what was wrong.
    static func plainWords(_ error: DecodingError, bytes: [UInt8]) -> String {
        func path(_ context: DecodingError.Context, adding key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : "'" + (text.hasPrefix(".") ? String(text.dropFirst()) : text) + "'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "the field \(path(context, adding: key)) is missing"
        case .typeMismatch(let type, let context):
            return "the field \(path(context)) is not \(Self.typeName(type))"
        case .valueNotFound(let type, let context):
            return "the field \(path(context)) is null, expected \(Self.typeName(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "invalid JSON" + (JSONSyntax.firstError(in: bytes).map { " at \($0)" } ?? "")
            }
            return "the field \(path(context)) has an invalid value"
        @unknown default:
            return "the JSON does not have the shape of a normalized article"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") ? "a list" : name.hasPrefix("Dictionary") ? "an object" : "a \(name)"
        }
    }
}
