import ArgumentParser
import Foundation
import Store

struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Print each article file as the normalized JSON the store loads.",
        discussion: """
            One JSON document per file, one per line (JSON Lines), in the order given; with
            --pretty, indented. A file that cannot be read is reported on standard error and
            the exit status is 1, after the good files are printed. Saving the output as
            NAME.json in an articles folder serves exactly what NAME.txt would.

            With --explain, instead of the JSON: one line per actor mention and quote of each
            update, tab-separated: update id, `actor` or `quote`, actor id, the rule that
            produced it, and the text it read.
            """
    )

    @Argument(help: "Article files (.txt as scraped, or .json).")
    var files: [String]

    @Flag(help: "Indent the JSON.")
    var pretty = false

    @Flag(help: "Print the rule behind each actor mention and quote instead of the JSON.")
    var explain = false

    func run() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        var failures = 0
        for file in files {
            let url = URL(fileURLWithPath: file)
            let folder = ArticleFolder(path: url.deletingLastPathComponent().path,
                                       maximumFileBytes: ArticleFolder.defaultMaximumFileBytes)
            let name = url.lastPathComponent
            switch folder.read(name).flatMap({ ArticleFile.article(name: name, bytes: $0) }) {
            case .success(let article):
                for warning in article.warnings { CorpusReport.say("\(file): warning: \(warning)") }
                if explain {
                    let lines = ActorExtractor().explain(article).map { $0.line + "\n" }.joined()
                    FileHandle.standardOutput.write(Data(lines.utf8))
                } else {
                    FileHandle.standardOutput.write(try encoder.encode(article) + Data("\n".utf8))
                }
            case .failure(let error):
                CorpusReport.say("\(file): error: \(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
