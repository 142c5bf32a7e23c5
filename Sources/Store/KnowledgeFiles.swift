import Foundation

/// The raw bytes of the knowledge data files (`Resources/data`), for whoever must know when
/// the knowledge changed: the normalization cache derives its version from them.
public enum KnowledgeFiles {
    /// Every data file by name, sorted by name. A missing data folder is a build defect, as
    /// it is for `Knowledge`.
    public static func contents() -> [(name: String, bytes: [UInt8])] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("data"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            fatalError("liveblog: the data folder is missing from the Store resources")
        }
        return names.sorted().map { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                fatalError("liveblog: data file \(name) cannot be read")
            }
            return (name, [UInt8](data))
        }
    }
}
