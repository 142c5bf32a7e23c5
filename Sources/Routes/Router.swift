import Foundation
import Store

/// Counters the server keeps, rendered by `GET /metrics`. The routes only format them.
public protocol MetricsSource: Sendable {
    /// Prometheus text exposition lines (`name{labels} value`), with their `# HELP`/`# TYPE`.
    func prometheusLines() -> [String]
}

/// Whether the first load of the corpus is done, as the server knows it.
public protocol ReadinessSource: Sendable {
    func readiness() -> Readiness
}

public enum Readiness: Sendable, Equatable {
    /// The corpus is loading: `done` files of `total` read so far.
    case loading(done: Int, total: Int)
    case ready
}

/// Request -> response, as a pure function of one store snapshot.
///
/// Making one costs nothing per article: a change of the corpus makes a new router over the
/// next snapshot at once. The server keeps each whole response it gets (by target and
/// `Accept`) until a change makes a new router, so nothing here ever goes stale.
public final class Router: Sendable {
    public let store: Store
    private let metrics: (any MetricsSource)?
    private let readiness: (any ReadinessSource)?
    private let articles: ArticlesRoute
    private let reader: ReaderPage

    static let allowedMethods = "GET, HEAD, OPTIONS"
    static let openAPIDocument: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let data = try? Data(contentsOf: url) else { return Array("openapi: 3.1.0\n".utf8) }
        return Array(data)
    }()
    /// The spec and the page's assets change only with a new binary; an hour, then a
    /// revalidation by ETag.
    static let staticCacheControl = "max-age=3600"

    /// Seconds a client is asked to wait before asking `/readyz` again during a load.
    static let retryAfterSeconds = 1

    public init(store: Store, metrics: (any MetricsSource)? = nil, readiness: (any ReadinessSource)? = nil) {
        self.store = store
        self.metrics = metrics
        self.readiness = readiness
        articles = ArticlesRoute(store: store)
        reader = ReaderPage(articles: articles)
    }

    /// Answers any method: GET and HEAD get the same response (the server drops the body
    /// for HEAD); OPTIONS gets 204 with `Allow` and the CORS preflight fields where a
    /// resource is, 404 where none is; other methods get 405 with `Allow`.
    ///
    /// The answer depends on the method class, the target and `Accept` only: the server
    /// chooses the content coding and answers `If-None-Match`, per representation.
    public func respond(to request: Request) -> Response {
        var response = dispatch(request)
        response.route = RouteTemplate.of(target: request.target)
        return response
    }

    private func dispatch(_ request: Request) -> Response {
        switch request.method {
        case "GET", "HEAD":
            return build(target: request.target, accept: MediaRange.list(request.header("Accept")))
        case "OPTIONS":
            return preflight(target: request.target)
        default:
            return Problem.response(for: .methodNotAllowed(method: request.method, allow: Self.allowedMethods))
        }
    }

    private func build(target rawTarget: String, accept: [MediaRange]) -> Response {
        guard let target = RequestTarget(rawTarget) else { return Problem.response(for: .invalidTarget) }
        do {
            return try route(target, accept: accept)
        } catch {
            return Problem.response(for: error)
        }
    }

    /// RFC 9110 §9.3.7 and the Fetch standard's CORS preflight: the methods and the
    /// request fields a script may use here. Unknown paths are 404, as a GET would be.
    private func preflight(target rawTarget: String) -> Response {
        guard let target = RequestTarget(rawTarget) else { return Problem.response(for: .invalidTarget) }
        guard Self.isKnown(path: target.path) else {
            return Problem.response(for: .notFound(detail: "no resource at \(target.path); see /openapi.yaml for the endpoints"))
        }
        return Response(status: 204, headers: [
            ("Allow", Self.allowedMethods),
            ("Access-Control-Allow-Methods", Self.allowedMethods),
            ("Access-Control-Allow-Headers", "If-None-Match, Last-Event-ID, Accept"),
            ("Access-Control-Max-Age", "86400"),
        ], cacheable: true)
    }

    static let fixedPaths: Set<String> = [
        "/", "/updates", "/actors", "/articles", "/stream", "/healthz", "/readyz", "/metrics", "/openapi.yaml",
    ]
    static let itemPrefixes = ["/updates/", "/actors/", "/articles/"]

    static func isKnown(path: String) -> Bool {
        fixedPaths.contains(path) || ReaderPage.assetNames.contains(String(path.dropFirst()))
            || itemPrefixes.contains { path.hasPrefix($0) && path.count > $0.count && !path.dropFirst($0.count).contains("/") }
    }

    private func route(_ target: RequestTarget, accept: [MediaRange]) throws(RoutesError) -> Response {
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
            if case .loading(let done, let total)? = readiness?.readiness() {
                var response = Problem.response(for: .notReady(done: done, total: total))
                response.headers.append(("Retry-After", String(Self.retryAfterSeconds)))
                response.cacheable = false
                return response
            }
            var body = JSONWriter()
            body.beginObject()
            body.field("status", "ready")
            body.field("articles", store.articleCount)
            body.field("updates", store.updateCount)
            body.field("actors", store.actorCount)
            body.endObject()
            var response = json(body.bytes)
            // Readiness changes without a new snapshot while a load runs: never reuse it.
            response.cacheable = readiness == nil
            return response
        case "/metrics":
            return metricsResponse()
        case "/articles":
            return try articles.list(target)
        case "/openapi.yaml":
            try Self.expectNoQuery(target)
            return Response(status: 200, headers: [("Content-Type", "application/yaml"), ("ETag", Self.etag(Self.openAPIDocument)),
                                                   ("Cache-Control", Self.staticCacheControl)],
                            body: Self.openAPIDocument, cacheable: true)
        case "/":
            // One URL, two representations: the reader page for a browser, the index for
            // everything else (RFC 9110 §12.5.1, proactive negotiation).
            var response = MediaRange.prefers("text/html", over: "application/json", in: accept)
                ? reader.page() : json(index())
            response.headers.append(("Vary", "Accept"))
            return response
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
        if let name = ReaderPage.assetName(path: path), let asset = reader.asset(named: name) {
            return asset
        }
        if path.hasPrefix("/articles/") {
            let id = String(path.dropFirst("/articles/".count))
            try Self.expectNoQuery(target)
            return try articles.one(id: id, accept: accept)
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
        var after: UpdateKey?
        if case .update(let time, let article, let id)? = parameters.cursor {
            after = UpdateKey(time: time, article: article, id: id)
        }
        // `q` of signs alone: no update holds it as a word.
        let page = parameters.matchesNothing ? nil
            : store.page(parameters.filter, ascending: parameters.order == .asc, after: after, limit: parameters.limit)
        let total = page?.total ?? 0
        if let (text, _) = span, total == 0 {
            throw .notFound(detail: "no updates at \(text)")
        }
        var next: String?
        if let page, page.hasMore, let last = page.references.last?.update {
            let cursor = Cursor.update(time: last.time.secondsSinceEpoch, article: last.article, id: last.id)
            next = parameters.nextLink(path: pathForNext, cursor: cursor)
        }
        let body = Representation.page(key: "updates", items: (page?.references ?? []).lazy.map { Representation.encode(update: $0.update) },
                                       total: total, next: next)
        return Self.json(body, next: next)
    }

    // MARK: - Actors

    private func actors(_ target: RequestTarget) throws(RoutesError) -> Response {
        let parameters = try QueryParameters(items: target.query, allowed: QueryParameters.actorParameters)
        var positions: [Int] = []
        let records = store.actorRecords
        for (position, actor) in records.enumerated() {
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
                let actor = records[position]
                if actor.mentions != mentions { return actor.mentions < mentions }
                if actor.name != name { return actor.name > name }
                return actor.id > id
            }
        }
        let end = min(positions.count, start + parameters.limit)
        let page = positions[start..<end]
        var next: String?
        if end < positions.count, let last = page.last {
            let actor = records[last]
            next = parameters.nextLink(path: "/actors", cursor: .actor(mentions: actor.mentions, name: actor.name, id: actor.id))
        }
        let body = Representation.page(key: "actors", items: page.lazy.compactMap { self.store.actor(id: records[$0].id) }
                                                                     .map { Representation.encode(actor: $0, withQuotes: false) },
                                       total: positions.count, next: next)
        return Self.json(body, next: next)
    }

    // MARK: - Operations

    private func metricsResponse() -> Response {
        let lines = metrics?.prometheusLines() ?? []
        let body = Array((lines.joined(separator: "\n") + "\n").utf8)
        return Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                                               ("Cache-Control", "no-store")], body: body)
    }

    private func index() -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("service", "liveblog")
        json.key("endpoints")
        json.strings(["/updates", "/updates/{time}", "/actors", "/actors/{id}", "/articles", "/articles/{id}",
                      "/stream", "/healthz", "/readyz", "/metrics", "/openapi.yaml"])
        json.field("updates", store.updateCount)
        json.field("actors", store.actorCount)
        json.endObject()
        return json.bytes
    }

    // MARK: - Helpers

    private func json(_ body: [UInt8]) -> Response {
        Self.json(body, next: nil)
    }

    /// A JSON answer of live data: revalidated each time (`no-cache`) by its ETag; a page
    /// also links to the next one (RFC 8288), for clients that follow `Link` headers.
    static func json(_ body: [UInt8], next: String?, contentType: String = "application/json") -> Response {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", contentType),
            ("ETag", etag(body)),
            ("Cache-Control", "no-cache"),
        ]
        if let next { headers.append(("Link", "<\(next)>; rel=\"next\"")) }
        return Response(status: 200, headers: headers, body: body, cacheable: true)
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

    /// A strong validator: a 64-bit hash of the body, eight bytes a step.
    static func etag(_ body: [UInt8]) -> String {
        let hex = String(WordChecksum.of(body), radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }
}
