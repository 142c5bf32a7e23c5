/// Every bound the HTTP engine enforces, in one place.
enum HTTPLimits {
    /// Longest request line (method, target, version); past it: 414.
    static let maximumRequestLineBytes = 8 * 1024
    /// Largest header section, request line included; past it: 431.
    static let maximumHeaderBytes = 16 * 1024
    /// Most header fields in one request; past it: 431.
    static let maximumHeaderCount = 100
    /// Largest request body, by Content-Length or chunked; past it: 413. The API takes no
    /// bodies, so a body is read only to keep the connection in step; it is held whole until
    /// the request is answered, so this also bounds a connection's memory.
    static let maximumBodyBytes = 64 * 1024
    /// Longest chunk-size line of a chunked body (size, extensions).
    static let maximumChunkLineBytes = 256
    /// Bytes of responses waiting to be written before a connection stops reading (a slow
    /// reader pushes back instead of growing memory).
    static let maximumPendingOutputBytes = 1024 * 1024
    /// Seconds a connection may take to send a whole request head once it started one.
    static let headerTimeoutSeconds = 10
    /// Seconds an idle keep-alive connection is kept.
    static let idleTimeoutSeconds = 60
    /// Seconds a closing connection keeps reading (and dropping) input after its last
    /// response, so that the client sees the response rather than a reset.
    static let lingerSeconds = 2
    /// Seconds a stopping server waits for responses in flight.
    static let drainTimeoutSeconds = 5
}
