import Foundation
import Store

/// A `GET /stream` request, validated: which updates the client wants pushed (the filters of
/// `/updates`, parsed by the same `QueryParameters`) and where it resumes.
public struct StreamRequest: Sendable, Equatable {
    public static let path = "/stream"

    public var filter: UpdateFilter
    /// The last event the client saw: the `Last-Event-ID` header a reconnecting
    /// `EventSource` sends, else `?last_event_id=` (a browser cannot set the header on its
    /// first connection). The header wins: it is newer than the URL the page was opened with.
    public var lastEventID: String?
    /// `q` held no word, only signs: no update can match, as on `/updates`.
    public var matchesNothing: Bool

    public init(filter: UpdateFilter = UpdateFilter(), lastEventID: String? = nil, matchesNothing: Bool = false) {
        self.filter = filter
        self.lastEventID = lastEventID
        self.matchesNothing = matchesNothing
    }

    /// The request, or the problem response that says what to change.
    public static func parse(target rawTarget: String, headers: [(name: String, value: String)]) -> Result<StreamRequest, ProblemResponse> {
        do throws(RoutesError) {
            return .success(try StreamRequest(target: rawTarget, headers: headers))
        } catch {
            return .failure(ProblemResponse(response: Problem.response(for: error)))
        }
    }

    init(target rawTarget: String, headers: [(name: String, value: String)]) throws(RoutesError) {
        guard let target = RequestTarget(rawTarget) else { throw .invalidTarget }
        guard target.path == Self.path else { throw .notFound(detail: "no resource at \(target.path)") }
        let parameters = try QueryParameters(items: target.query, allowed: QueryParameters.streamParameters)
        filter = parameters.filter
        matchesNothing = parameters.matchesNothing
        let header = headers.first { $0.name.lowercased() == "last-event-id" }?.value
            .trimmingCharacters(in: .whitespaces)
        lastEventID = header.flatMap { $0.isEmpty ? nil : $0 } ?? parameters.lastEventID
    }

    /// The header fields of the event stream, beside the status line: also what `HEAD /stream`
    /// answers.
    public static let responseHeaders: [(name: String, value: String)] = [
        ("Content-Type", "text/event-stream; charset=utf-8"),
        ("Cache-Control", "no-cache"),
        // nginx buffers proxied responses by default, which would hold events back.
        ("X-Accel-Buffering", "no"),
        ("Access-Control-Allow-Origin", "*"),
    ]
}

/// A refusal from the routes, as a response to send: a public wrapper, so that the routes'
/// error type stays their own.
public struct ProblemResponse: Error, Sendable {
    public var response: Response
}
