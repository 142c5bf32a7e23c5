/// The actors one article names: how often, under which names.
struct ActorBook {
    let gazetteer: Gazetteer
    /// What the book holds of one actor, found by one hash of its id per mention.
    private struct Tally {
        var id: String
        /// Counted in `mentions` (a move can leave an actor counted but never listed).
        var counted = false
        var mentions = 0
        var kind: ActorKind?
        var surfaces = Surfaces()
        /// Mentions in the update `update`; in an earlier update, none in this one.
        var updateMentions = 0
        var update = -1
    }
    /// The names an actor was written under, in order: most have one, kept without an array.
    private struct Surfaces {
        private var first: String?
        private var rest: [String] = []

        func contains(_ surface: String) -> Bool { first == surface || rest.contains(surface) }

        func contains(where isIt: (String) -> Bool) -> Bool {
            guard let first else { return false }
            return isIt(first) || rest.contains(where: isIt)
        }

        mutating func append(_ surface: String) {
            if first == nil { first = surface } else { rest.append(surface) }
        }

        /// Every one but `name`, in order.
        func all(but name: String) -> [String] {
            guard let first else { return [] }
            var all = first == name ? [] : [first]
            for surface in rest where surface != name { all.append(surface) }
            return all
        }
    }

    private var slots: [String: Int] = [:]
    /// The slot of a gazetteer entry's actor by the entry's address, so that a mention of the
    /// data's names finds its tally without hashing the id: direct-mapped, a clash costs the hash.
    private var entrySlots = [(entry: ObjectIdentifier?, slot: Int)](repeating: (nil, 0), count: ActorBook.entrySlotCount)
    static let entrySlotCount = 64
    private var tallies: [Tally] = []
    /// The slots of the actors listed, in the order they were first counted.
    private var order: [Int] = []
    private var discoveredNames: [String: (name: String, kind: ActorKind, aliases: [String])] = [:]
    /// The update being read, counted from 0.
    private var update = -1

    /// Room for the actors of a typical liveblog, so that the table of slots is not rehashed
    /// as it grows from nothing (a fixed size: it still grows past it).
    static let expectedActors = 32

    init(gazetteer: Gazetteer) {
        self.gazetteer = gazetteer
        slots.reserveCapacity(Self.expectedActors)
        tallies.reserveCapacity(Self.expectedActors)
    }

    private mutating func slot(_ id: String) -> Int {
        if let slot = slots[id] { return slot }
        tallies.append(Tally(id: id))
        slots[id] = tallies.count - 1
        return tallies.count - 1
    }

    private mutating func slot(of entry: Gazetteer.Entry) -> Int {
        let key = ObjectIdentifier(entry)
        // Entries are objects of many bytes: the bits above the allocator's alignment spread them.
        let line = Int(truncatingIfNeeded: UInt(bitPattern: key) >> 5) & (Self.entrySlotCount - 1)
        if entrySlots[line].entry == key { return entrySlots[line].slot }
        let k = slot(entry.id)
        entrySlots[line] = (key, k)
        return k
    }

    /// Counts a mention of `id`; returns its slot.
    @discardableResult
    mutating func count(_ id: String, kind: ActorKind, surface: String? = nil) -> Int {
        let k = slot(id)
        count(slot: k, id, kind: kind)
        if let surface = surface.map(Gazetteer.withoutPossessive), !tallies[k].surfaces.contains(surface) {
            tallies[k].surfaces.append(surface)
        }
        return k
    }

    private mutating func count(slot k: Int, _ id: String, kind: ActorKind) {
        if !tallies[k].counted { order.append(k) }
        tallies[k].counted = true
        tallies[k].mentions += 1
        if tallies[k].update != update {
            tallies[k].update = update
            tallies[k].updateMentions = 0
        }
        tallies[k].updateMentions += 1
        tallies[k].kind = kind
    }

    /// `count` of a mention of the data's names, its surface the words of `range` as
    /// written: made into one string only when the actor has not been seen under it.
    mutating func count(_ entry: Gazetteer.Entry, surfaceOf range: Range<Int>, in tokens: [Token]) {
        let k = slot(of: entry)
        count(slot: k, entry.id, kind: entry.kind)
        if range.count == 1 {
            let token = tokens[range.lowerBound]
            let surface = token.mayBePossessive ? Gazetteer.withoutPossessive(token.text) : token.text
            if !tallies[k].surfaces.contains(surface) { tallies[k].surfaces.append(surface) }
            return
        }
        // A possessive ends the last word only: `Turkey's` -> `Turkey`.
        guard !tallies[k].surfaces.contains(where: { ActorExtractor.spells($0, range, tokens, possessive: false) }) else { return }
        let surface = ActorExtractor.text(of: range, tokens)
        tallies[k].surfaces.append(tokens[range.upperBound - 1].mayBePossessive ? Gazetteer.withoutPossessive(surface) : surface)
    }

    mutating func startUpdate() { update += 1 }

    func kind(of id: String) -> ActorKind? { slots[id].flatMap { tallies[$0].kind } }

    /// Every name an organization or group goes by, as folded words.
    func foldedNames(of id: String) -> [[String]] {
        if let found = discoveredNames[id] { return [Tokenizer.words(of: found.name).map(TextFolding.fold)] }
        return gazetteer.foldedNames[id] ?? []
    }

    /// Counts one update's mentions of `id` for `other` instead; an actor left with no
    /// mention at all is no longer listed.
    mutating func move(_ id: String, to other: String) {
        let k = slot(id)
        let moved = tallies[k].update == update ? tallies[k].updateMentions : 0
        tallies[k].mentions -= moved
        tallies[k].counted = true
        let o = slot(other)
        tallies[o].mentions += moved
        tallies[o].counted = true
        tallies[k].update = -1
        if tallies[k].mentions <= 0 {
            tallies[k].counted = false
            tallies[k].mentions = 0
            order.removeAll { $0 == k }
        }
    }

    /// Another name for an actor of the book: a tweet handle.
    mutating func addAlias(_ alias: String, to id: String) {
        if discoveredNames[id] != nil {
            if discoveredNames[id]?.aliases.contains(alias) == false { discoveredNames[id]?.aliases.append(alias) }
        } else {
            let k = slot(id)
            if !tallies[k].surfaces.contains(alias) { tallies[k].surfaces.append(alias) }
        }
    }

    /// An organization or group found by the shape of its name; returns its id.
    mutating func discovered(name: String, kind: ActorKind, alias: String?) -> String {
        let id = ActorExtractor.slug(name)
        var entry = discoveredNames[id] ?? (name, kind, [])
        if let alias, !entry.aliases.contains(alias) { entry.aliases.append(alias) }
        discoveredNames[id] = entry
        return id
    }

    func records(persons: PersonFinder) -> [ActorRecord] {
        var records: [ActorRecord] = []
        records.reserveCapacity(order.count)
        for k in order {
            if let record = record(at: k, persons: persons) { records.append(record) }
        }
        return records
    }

    /// The record of the actor at slot `k`, its tally read in place.
    private func record(at k: Int, persons: PersonFinder) -> ActorRecord? {
        let id = tallies[k].id
        let count = tallies[k].counted ? tallies[k].mentions : 0
        // An empty table is not hashed into.
        if !persons.people.isEmpty, let person = persons.people[id] {
            return ActorRecord(id: id, name: person.name, kind: .person, aliases: person.aliases, roles: person.roles,
                               affiliation: person.affiliation, mentions: count)
        }
        if !discoveredNames.isEmpty, let found = discoveredNames[id] {
            return ActorRecord(id: id, name: found.name, kind: found.kind, aliases: found.aliases, mentions: count)
        }
        guard let record = gazetteer.records[id] else { return nil }
        let aliases = tallies[k].surfaces.all(but: record.name)
        return ActorRecord(id: id, name: record.name, kind: record.kind, aliases: aliases, mentions: count)
    }
}
