import Foundation
import Store
import Synchronization

/// Counters the server keeps, rendered by `GET /metrics`. The routes only format them.
public protocol MetricsSource: Sendable {
    /// Prometheus text exposition lines (`name{labels} value`), with their `# HELP`/`# TYPE`.
    func prometheusLines() -> [String]
}

/// Request -> response, as a pure function of one store snapshot.
///
/// Every item is encoded once, when the router is made; a page is a concatenation of those
/// fragments, and a whole response, once built, is kept for the next request with the same
/// target. A reload makes a new router, so nothing here ever goes stale.
public final class Router: Sendable {
    public let store: Store
    private let metrics: (any MetricsSource)?
    private let representation: Representation
    private let responses = Mutex<[String: Response]>([:])

    /// Past this many distinct targets the cache starts over: a client walking every
    /// filter combination must not grow memory without bound.
    static let responseCacheLimit = 4096
    static let allowedMethods = "GET, HEAD, OPTIONS"
    static let openAPIDocument: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let data = try? Data(contentsOf: url) else { return Array("openapi: 3.1.0\n".utf8) }
        return Array(data)
    }()

    public init(store: Store, metrics: (any MetricsSource)? = nil) {
        self.store = store
        self.metrics = metrics
        representation = Representation(store: store)
    }

    /// Answers any method: GET and HEAD get the same response (the server drops the body
    /// for HEAD); OPTIONS gets 204 with `Allow`; other methods get 405 with `Allow`.
    public func respond(to request: Request) -> Response {
        let response = uncachedOrCached(request)
        if let tags = request.header("If-None-Match"), response.status == 200,
           let etag = response.headers.first(where: { $0.name == "ETag" })?.value,
           Self.matches(ifNoneMatch: tags, etag: etag) {
            var notModified = Response(status: 304, headers: response.headers.filter { $0.name != "Content-Type" })
            notModified.cacheable = false
            return notModified
        }
        return response
    }

    private func uncachedOrCached(_ request: Request) -> Response {
        switch request.method {
        case "GET", "HEAD":
            break
        case "OPTIONS":
            return Response(status: 204, headers: [
                ("Allow", Self.allowedMethods),
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", Self.allowedMethods),
                ("Access-Control-Allow-Headers", "If-None-Match"),
                ("Access-Control-Max-Age", "86400"),
            ], cacheable: true)
        default:
            return Problem.response(for: .methodNotAllowed(method: request.method, allow: Self.allowedMethods))
        }
        if let cached = responses.withLock({ $0[request.target] }) {
            return cached
        }
        let response = build(target: request.target)
        if response.cacheable {
            responses.withLock { cache in
                if cache.count >= Self.responseCacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[request.target] = response
            }
        }
        return response
    }

    private func build(target rawTarget: String) -> Response {
        guard let target = RequestTarget(rawTarget) else { return Problem.response(for: .invalidTarget) }
        do {
            return try route(target)
        } catch {
            return Problem.response(for: error)
        }
    }

    private func route(_ target: RequestTarget) throws(RoutesError) -> Response {
        let path = target.path
        switch path {
        case "/updates":
            return try updates(target, pathForNext: "/updates", span: nil)
        case "/actors":
            return try actors(target)
        case "/healthz":
            try Self.expectNoQuery(target)
            return json(Self.object(["status": "ok"]))
        case "/readyz":
            try Self.expectNoQuery(target)
            var body = JSONWriter()
            body.beginObject()
            body.field("status", "ready")
            body.field("articles", store.articles.count)
            body.field("updates", store.updates.count)
            body.field("actors", store.actors.count)
            body.endObject()
            return json(body.bytes)
        case "/metrics":
            return metricsResponse()
        case "/openapi.yaml":
            return Response(status: 200, headers: [("Content-Type", "application/yaml"), ("ETag", Self.etag(Self.openAPIDocument)),
                                                   ("Access-Control-Allow-Origin", "*")],
                            body: Self.openAPIDocument, cacheable: true)
        case "/":
            return json(index())
        default:
            break
        }
        if path.hasPrefix("/updates/") {
            let segment = String(path.dropFirst("/updates/".count))
            guard !segment.isEmpty, !segment.contains("/") else {
                throw .notFound(detail: "no resource at \(path)")
            }
            guard let span = TimeSpan(segment) else { throw .invalidTime(segment) }
            let encodedPath = "/updates/" + RequestTarget.encodeQueryValue(segment)
            return try updates(target, pathForNext: encodedPath, span: (segment, span))
        }
        if path.hasPrefix("/actors/") {
            let id = String(path.dropFirst("/actors/".count))
            try Self.expectNoQuery(target)
            guard let actor = store.actor(id: id) else {
                throw .notFound(detail: "no actor with id '\(id)'; GET /actors lists them")
            }
            return json(Representation.encode(actor: actor, withQuotes: true))
        }
        throw .notFound(detail: "no resource at \(path); see /openapi.yaml for the endpoints")
    }

    // MARK: - Updates

    private func updates(_ target: RequestTarget, pathForNext: String, span: (text: String, value: TimeSpan)?)
        throws(RoutesError) -> Response {
        var parameters = try QueryParameters(items: target.query, allowed: QueryParameters.updateParameters)
        if let (_, value) = span {
            switch value {
            case .interval(let first, let last):
                parameters.filter.since = max(parameters.filter.since ?? first, first)
                parameters.filter.until = min(parameters.filter.until ?? last, last)
            case .minuteOfDay(let minute):
                parameters.filter.minuteOfDay = minute
            }
        }
        let positions = store.select(parameters.filter)
        if let (text, _) = span, positions.isEmpty {
            throw .notFound(detail: "no updates at \(text)")
        }
        let ordered: [Int] = parameters.order == .desc ? positions : positions.reversed()
        var start = 0
        if case .update(let time, let article, let id)? = parameters.cursor {
            let key = (time, article, id)
            let isAfterCursor: (Int) -> Bool = parameters.order == .desc
                ? { self.storeOrderBefore(key, self.updateKey($0)) }
                : { self.storeOrderBefore(self.updateKey($0), key) }
            start = ordered.partitionPoint(where: isAfterCursor)
        }
        let end = min(ordered.count, start + parameters.limit)
        let page = ordered[start..<end]
        var next: String?
        if end < ordered.count, let last = page.last {
            let update = store.updates[last]
            let cursor = Cursor.update(time: update.time.secondsSinceEpoch, article: update.article, id: update.id)
            next = parameters.nextLink(path: pathForNext, cursor: cursor)
        }
        let body = Representation.page(key: "updates", items: page.lazy.map { self.representation.updates[$0] },
                                       total: ordered.count, next: next)
        return json(body)
    }

    private func updateKey(_ position: Int) -> (Int64, String, String) {
        let update = store.updates[position]
        return (update.time.secondsSinceEpoch, update.article, update.id)
    }

    /// The store's order: newest first, then article id, then update id.
    private func storeOrderBefore(_ a: (Int64, String, String), _ b: (Int64, String, String)) -> Bool {
        if a.0 != b.0 { return a.0 > b.0 }
        if a.1 != b.1 { return a.1 < b.1 }
        return a.2 < b.2
    }

    // MARK: - Actors

    private func actors(_ target: RequestTarget) throws(RoutesError) -> Response {
        let parameters = try QueryParameters(items: target.query, allowed: QueryParameters.actorParameters)
        var positions: [Int] = []
        for (position, actor) in store.actors.enumerated() {
            if let kind = parameters.kind, actor.kind != kind { continue }
            if let prefix = parameters.namePrefix,
               !([actor.name] + actor.aliases).contains(where: { TextFolding.fold($0).hasPrefix(prefix) }) {
                continue
            }
            positions.append(position)
        }
        var start = 0
        if case .actor(let mentions, let name, let id)? = parameters.cursor {
            start = positions.partitionPoint { position in
                let actor = self.store.actors[position]
                if actor.mentions != mentions { return actor.mentions < mentions }
                if actor.name != name { return actor.name > name }
                return actor.id > id
            }
        }
        let end = min(positions.count, start + parameters.limit)
        let page = positions[start..<end]
        var next: String?
        if end < positions.count, let last = page.last {
            let actor = store.actors[last]
            next = parameters.nextLink(path: "/actors", cursor: .actor(mentions: actor.mentions, name: actor.name, id: actor.id))
        }
        let body = Representation.page(key: "actors", items: page.lazy.map { self.representation.actorSummaries[$0] },
                                       total: positions.count, next: next)
        return json(body)
    }

    // MARK: - Operations

    private func metricsResponse() -> Response {
        var lines = [
            "# HELP liveblog_articles Articles in the loaded store.",
            "# TYPE liveblog_articles gauge",
            "liveblog_articles \(store.articles.count)",
            "# HELP liveblog_updates Updates in the loaded store.",
            "# TYPE liveblog_updates gauge",
            "liveblog_updates \(store.updates.count)",
            "# HELP liveblog_actors Actors in the loaded store.",
            "# TYPE liveblog_actors gauge",
            "liveblog_actors \(store.actors.count)",
        ]
        lines += metrics?.prometheusLines() ?? []
        let body = Array((lines.joined(separator: "\n") + "\n").utf8)
        return Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                                               ("Cache-Control", "no-store")], body: body)
    }

    private func index() -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("service", "liveblog")
        json.key("endpoints")
        json.strings(["/updates", "/updates/{time}", "/actors", "/actors/{id}", "/stream",
                      "/healthz", "/readyz", "/metrics", "/openapi.yaml"])
        json.field("updates", store.updates.count)
        json.field("actors", store.actors.count)
        json.endObject()
        return json.bytes
    }

    // MARK: - Helpers

    private func json(_ body: [UInt8]) -> Response {
        Response(status: 200, headers: [
            ("Content-Type", "application/json"),
            ("ETag", Self.etag(body)),
            ("Cache-Control", "no-cache"),
            ("Access-Control-Allow-Origin", "*"),
        ], body: body, cacheable: true)
    }

    private static func object(_ fields: KeyValuePairs<String, String>) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        for (key, value) in fields { json.field(key, value) }
        json.endObject()
        return json.bytes
    }

    private static func expectNoQuery(_ target: RequestTarget) throws(RoutesError) {
        if let first = target.query.first {
            throw .unknownParameter(name: first.name, known: ["(none)"])
        }
    }

    /// A strong validator: FNV-1a over the body.
    static func etag(_ body: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// RFC 9110 §13.1.2: weak comparison against a list of tags, or `*`.
    static func matches(ifNoneMatch header: String, etag: String) -> Bool {
        let opaque = { (tag: Substring) -> Substring in
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return Substring(trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed)
        }
        if header.trimmingCharacters(in: .whitespaces) == "*" { return true }
        return header.split(separator: ",").contains { opaque($0) == opaque(Substring(etag)) }
    }
}
