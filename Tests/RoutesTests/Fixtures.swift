import Foundation
@testable import Routes
import Store

/// A small store written for these tests: two articles, five updates over two days, a few actors.
enum Fixtures {
    static func instant(_ text: String) -> Instant {
        guard let instant = Instant(rfc3339: text) else { fatalError("bad fixture time \(text)") }
        return instant
    }

    static func update(_ article: String, _ time: String, _ headline: String, body: [String] = [],
                       actors: [String] = [], quotes: [Quote] = [], embeds: [Embed] = []) -> Update {
        Update(id: "\(article)/\(time)", time: instant(time), article: article, headline: headline, body: body,
               actors: actors, quotes: quotes, embeds: embeds)
    }

    static let harbour = Article(
        id: "a1_harbour", date: "2021-03-04", lede: ["Storms hit the coast."],
        updates: [
            update("a1_harbour", "2021-03-04T12:00:00Z", "Ministers meet in the port city",
                   body: ["The Ruritanian government said ferries will resume.", "\"We will reopen the harbour soon,\" said Ana Varga."],
                   actors: ["ruritania", "ana-varga"], quotes: [Quote(actor: "ana-varga", text: "We will reopen the harbour soon")],
                   embeds: [.video(Video(title: "Waves over the pier", duration: 95))]),
            update("a1_harbour", "2021-03-04T09:30:00Z", "Évacuation of the old town",
                   body: ["Rescue teams moved families to schools."], actors: ["ruritania"]),
            update("a1_harbour", "2021-03-03T23:55:00Z", "Red Cross sends boats",
                   body: ["The Red Cross sent six boats."], actors: ["red-cross"],
                   embeds: [.tweet(Tweet(author: "Red Cross", handle: "@redcross", date: "2021-03-03",
                                         text: "Boats on the way https://t.co/abc", links: ["https://t.co/abc"]))]),
        ],
        actors: [
            ActorRecord(id: "ruritania", name: "Ruritania", kind: .country, aliases: ["Ruritanian"], mentions: 3),
            ActorRecord(id: "ana-varga", name: "Ana Varga", kind: .person, aliases: ["Varga"],
                        roles: ["Transport Minister"], affiliation: "ruritania", mentions: 1),
            ActorRecord(id: "red-cross", name: "Red Cross", kind: .organization, mentions: 2),
        ])

    static let summit = Article(
        id: "a2_summit", date: "2021-03-04", lede: [],
        updates: [
            update("a2_summit", "2021-03-04T12:00:00Z", "Summit opens with a minute of silence",
                   body: ["Leaders of Ruritania and the Red Cross met."], actors: ["ruritania", "red-cross"]),
            update("a2_summit", "2021-03-04T08:15:00Z", "Delegations arrive",
                   body: ["Cars lined the road."]),
        ],
        actors: [
            ActorRecord(id: "ruritania", name: "Ruritania", kind: .country, aliases: ["Ruritanian", "Strelsau"], mentions: 1),
            ActorRecord(id: "red-cross", name: "Red Cross", kind: .organization, aliases: ["ICRC"], mentions: 1),
        ])

    static let store = Store(articles: [harbour, summit])
    static let router = Router(store: store)

    static func get(_ target: String, headers: [(name: String, value: String)] = []) -> Response {
        router.respond(to: Request(method: "GET", target: target, headers: headers))
    }

    static func json(_ response: Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    static func header(_ response: Response, _ name: String) -> String? {
        response.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
