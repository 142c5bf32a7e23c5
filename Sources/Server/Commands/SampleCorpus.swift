import Foundation

/// The sample corpus shipped inside the binary's resources, so that `liveblog` with no
/// arguments serves something from any working directory.
enum SampleCorpus {
    static func directory() throws -> String {
        guard let url = Bundle.module.url(forResource: "sample", withExtension: nil) else {
            throw CommandFailure("the sample corpus is missing from the liveblog resources; pass --articles DIR")
        }
        return url.path
    }
}
