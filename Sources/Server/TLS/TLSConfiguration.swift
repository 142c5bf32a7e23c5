/// Where the server's certificate chain and private key live (PEM files). Read again on
/// every reload, so a renewed pair is picked up without a restart.
struct TLSConfiguration: Sendable, Equatable {
    /// The leaf certificate first, then any intermediates, as PEM.
    var certificatePath: String
    /// The unencrypted private key of the leaf certificate, as PEM (PKCS#8 or traditional).
    var privateKeyPath: String
}
