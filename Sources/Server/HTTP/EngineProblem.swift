import HTTPParsing
import Routes

extension EncodedResponse {
    /// The problem response for an error the engine found before the routes saw the request,
    /// built by the routes' one problem builder.
    static func problem(_ error: HTTPError) -> EncodedResponse {
        EncodedResponse(Problem.response(status: error.status, detail: error.detail))
    }
}
