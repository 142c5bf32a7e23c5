import Foundation

/// The HTTPS settings of `serve` (`--tls-cert`, `--tls-key`, `--redirect-http` and their
/// environment variables), checked together: nil when TLS is not asked for.
struct HTTPSSettings {
    var configuration: TLSConfiguration
    var redirectPort: Int?

    init?(certificate: String?, key: String?, redirectPort: String?) throws(CommandFailure) {
        switch (certificate, key) {
        case (nil, nil):
            if redirectPort != nil { throw CommandFailure("--redirect-http needs HTTPS to redirect to: give --tls-cert and --tls-key too") }
            return nil
        case (nil, _):
            throw CommandFailure("--tls-key needs --tls-cert (or LIVEBLOG_TLS_CERT): the certificate chain to serve with it")
        case (_, nil):
            throw CommandFailure("--tls-cert needs --tls-key (or LIVEBLOG_TLS_KEY): the private key of that certificate")
        case (let certificate?, let key?):
            configuration = TLSConfiguration(certificatePath: certificate, privateKeyPath: key)
        }
        if let redirectPort {
            guard let port = Int(redirectPort), (0...65535).contains(port) else {
                throw CommandFailure("LIVEBLOG_REDIRECT_HTTP must be a port number from 0 to 65535, got '\(redirectPort)'")
            }
            self.redirectPort = port
        }
    }

    /// Loads the pair for the first time; a bad or missing file stops the start.
    func loadContexts() throws(CommandFailure) -> TLSContextStore {
        do {
            let store = try TLSContextStore(configuration: configuration)
            Self.report(store.context, verb: "loaded")
            return store
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// On SIGHUP: a good new pair serves new connections; a bad one is reported and the
    /// pair in use stays.
    static func reload(_ store: TLSContextStore) {
        do {
            report(try store.reload(), verb: "reloaded")
        } catch {
            CorpusReport.say("\(error); still serving the certificate loaded before (SHA-256 \(store.context.fingerprint))")
        }
    }

    private static func report(_ context: TLSContext, verb: String) {
        CorpusReport.say("\(verb) TLS certificate \(context.configuration.certificatePath) (SHA-256 \(context.fingerprint))")
        for warning in context.warnings { CorpusReport.say("warning: \(warning)") }
    }

    /// Adds the plain listener that redirects to HTTPS to `server`, when asked for: one
    /// more listener of the same loops, one socket per loop.
    func startRedirect(host: String, httpsPort: Int, on server: HTTPServer, loops: Int) throws(CommandFailure) {
        guard let redirectPort else { return }
        do {
            let listener = try Listener(host: host, port: redirectPort, sockets: loops)
            try server.add(listener, responder: .redirectToHTTPS(port: httpsPort),
                           makeTransport: { PlainTransport(fileDescriptor: $0) })
            CorpusReport.say("redirecting http://\(listener.displayAddress) to HTTPS on port \(httpsPort)")
        } catch let error as Listener.Failure {
            throw CommandFailure(error.description)
        } catch {
            throw CommandFailure("cannot start the HTTP redirect: \(error)")
        }
    }
}
