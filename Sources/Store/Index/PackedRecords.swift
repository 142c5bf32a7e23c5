/// The actor records of an article, packed in one byte string: the store reads them only
/// when the article goes (to take its share out of the actors' tallies), and as values they
/// were a few heap objects per record for the life of the store.
struct PackedRecords: Sendable {
    private let bytes: [UInt8]

    init(_ records: [ActorRecord]) {
        var out: [UInt8] = []
        func string(_ s: String) { EntryWriter.string(s, into: &out) }
        func strings(_ list: [String]) { EntryWriter.strings(list, into: &out) }
        EntryWriter.varint(UInt64(records.count), into: &out)
        for record in records {
            string(record.id); string(record.name); string(record.kind.rawValue)
            strings(record.aliases); strings(record.roles)
            strings(record.affiliation.map { [$0] } ?? [])
            EntryWriter.varint(UInt64(bitPattern: Int64(record.mentions)), into: &out)
        }
        bytes = out.exactCopy()
    }

    var records: [ActorRecord] {
        bytes.withUnsafeBytes { raw in
            var reader = EntryReader(bytes: raw)
            do throws(StoreError) {
                var records: [ActorRecord] = []
                for _ in 0..<(try reader.count()) {
                    let id = try reader.string(), name = try reader.string(), kind = try reader.string()
                    let aliases = try reader.strings(), roles = try reader.strings(), affiliation = try reader.strings().first
                    records.append(ActorRecord(id: id, name: name, kind: ActorKind(rawValue: kind) ?? .organization,
                                               aliases: aliases, roles: roles, affiliation: affiliation,
                                               mentions: Int(truncatingIfNeeded: Int64(bitPattern: try reader.varint()))))
                }
                return records
            } catch {
                // Written by `init` in this process: failing to read it back is a bug here.
                fatalError("packed actor records do not read back: \(error)")
            }
        }
    }
}

extension PackedRecords {
    func write(to writer: inout SnapshotWriter) { writer.array(bytes) }

    init(reading reader: inout SnapshotReader) throws(StoreError) {
        bytes = try reader.array(of: UInt8.self)
    }
}
