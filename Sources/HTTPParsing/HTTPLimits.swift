/// Every bound the HTTP engine enforces, in one place.
public enum HTTPLimits {
    /// Longest request line (method, target, version); past it: 414.
    public static let maximumRequestLineBytes = 8 * 1024
    /// Largest header section, request line and any empty lines before it included; past it: 431.
    public static let maximumHeaderBytes = 16 * 1024
    /// Most header fields in one request; past it: 431.
    public static let maximumHeaderCount = 100
    /// Largest request body, by Content-Length or the sum of chunk sizes; past it: 413. The
    /// API takes no bodies, so a body is read only to keep the connection in step; it is held
    /// whole until the request is answered, so this also bounds a connection's memory.
    public static let maximumBodyBytes = 64 * 1024
    /// Longest chunk-size line of a chunked body (size, extensions, CRLF); past it: 400.
    public static let maximumChunkLineBytes = 256
    /// All the chunk-size lines of one chunked body together, extensions and CRLFs included:
    /// what is not data still costs memory and time; past it: 413.
    public static let maximumChunkMetadataBytes = 16 * 1024
    /// The trailer section of a chunked body (the fields after the last chunk); past it: 431.
    public static let maximumTrailerBytes = 4 * 1024
    /// Bytes of responses waiting to be written before a connection stops reading (a slow
    /// reader pushes back instead of growing memory).
    public static let maximumPendingOutputBytes = 1024 * 1024

    /// Time a connection may take to send a whole request (head and body) once it started
    /// one, and a TLS handshake to finish; past it: 408 (or the handshake is dropped).
    public static let requestTimeoutMilliseconds = 10_000
    /// Time an idle keep-alive connection is kept.
    public static let idleTimeoutMilliseconds = 60_000
    /// Time a response may wait for the client to take any more of it: a reader that takes
    /// nothing for this long is dropped, however little it is behind.
    public static let writeTimeoutMilliseconds = 10_000
    /// Time a closing connection keeps reading (and dropping) input after its last response,
    /// so that the client sees the response rather than a reset (RFC 9112 §9.6).
    public static let lingerMilliseconds = 2_000
    /// Bytes a closing connection reads and drops before it closes anyway: a client that
    /// goes on sending after its answer gets no more of the loop's time.
    public static let maximumLingerBytes = 256 * 1024
    /// At stop: time an idle connection has to send one more request (one already on its
    /// way, or in the socket buffer); it is answered with `Connection: close`. A connection
    /// that sends nothing in this time is closed.
    public static let drainGraceMilliseconds = 500
    /// At stop: the longest the server waits for the answers in flight before it exits.
    public static let drainTimeoutMilliseconds = 5_000
}
