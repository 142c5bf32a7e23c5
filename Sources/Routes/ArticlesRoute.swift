import Store

/// `GET /articles` and `GET /articles/{id}`: the articles newest first, for an article
/// picker, and one article as JSON or as schema.org JSON-LD.
struct ArticlesRoute: Sendable {
    let store: Store

    func overview(id: String) -> ArticleOverview? {
        store.parts[id]?.overview
    }

    func list(_ target: RequestTarget) throws(RoutesError) -> Response {
        let parameters = try QueryParameters(items: target.query, allowed: QueryParameters.articleParameters)
        let filter = parameters.filter
        let emptySpan = filter.since.flatMap { since in filter.until.map { since > $0 } } ?? false
        let positions = emptySpan || parameters.matchesNothing ? []
            : store.overviewPositions(since: filter.since, until: filter.until, words: filter.words)
        var start = 0
        if case .article(let lastUpdate, let id)? = parameters.cursor {
            start = positions.partitionPoint { position in
                let key = Self.key(store.overviews[position])
                return key.lastUpdate != lastUpdate ? key.lastUpdate < lastUpdate : key.id > id
            }
        }
        let end = min(positions.count, start + parameters.limit)
        let page = positions[start..<end]
        var next: String?
        if end < positions.count, let last = page.last {
            let key = Self.key(store.overviews[last])
            next = parameters.nextLink(path: "/articles", cursor: .article(lastUpdate: key.lastUpdate, id: key.id))
        }
        let body = Representation.page(key: "articles", items: page.lazy.map { Self.encode(overview: self.store.overviews[$0]) },
                                       total: positions.count, next: next)
        return Router.json(body, next: next)
    }

    /// The Article, or the `LiveBlogPosting` when the client ranks `application/ld+json`
    /// above `application/json`; either way `Vary: Accept`.
    func one(id: String, accept: [MediaRange]) throws(RoutesError) -> Response {
        guard let overview = overview(id: id) else {
            throw .notFound(detail: "no article with id '\(id)'; GET /articles lists them")
        }
        var response: Response
        if MediaRange.prefers(LiveBlogPosting.mediaType, over: "application/json", in: accept) {
            response = Router.json(LiveBlogPosting.encode(overview: overview, store: store),
                                   next: nil, contentType: LiveBlogPosting.mediaType)
        } else {
            response = Router.json(Self.encode(overview: overview), next: nil)
        }
        response.headers.append(("Vary", "Accept"))
        return response
    }

    /// The list's sort key: the newest update's time (`Int64.min` without one), then id.
    static func key(_ overview: ArticleOverview) -> (lastUpdate: Int64, id: String) {
        (overview.lastUpdate?.secondsSinceEpoch ?? Int64.min, overview.id)
    }

    static func encode(overview: ArticleOverview) -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.field("id", overview.id)
        json.field("date", overview.date)
        json.field("title", overview.title)
        json.field("lede", overview.lede)
        json.field("first_update", optional: overview.firstUpdate?.rfc3339)
        json.field("last_update", optional: overview.lastUpdate?.rfc3339)
        json.field("update_count", overview.updateCount)
        json.field("actors", overview.actors)
        json.field("updates", "/updates?article=" + RequestTarget.encodeQueryValue(overview.id))
        json.endObject()
        return json.bytes
    }
}
