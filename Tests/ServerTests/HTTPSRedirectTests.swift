import XCTest
@testable import Server

/// The redirect's Location: built from the request's host and target, always to our port,
/// and never to a place a crafted Host could choose.
final class HTTPSRedirectTests: XCTestCase {
    func testTheLocationKeepsHostAndTargetAndTakesOurPort() {
        XCTAssertEqual(HTTPSRedirect.location(host: "news.example.org", target: "/updates?limit=5", httpsPort: 8443),
                       "https://news.example.org:8443/updates?limit=5")
        XCTAssertEqual(HTTPSRedirect.location(host: "News.Example.org:80", target: "/actors", httpsPort: 443),
                       "https://news.example.org/actors")
        XCTAssertEqual(HTTPSRedirect.location(host: "[::1]:8080", target: "/healthz", httpsPort: 9443),
                       "https://[::1]:9443/healthz")
        XCTAssertEqual(HTTPSRedirect.location(host: "127.0.0.1", target: "//twice/slashed", httpsPort: 9443),
                       "https://127.0.0.1:9443//twice/slashed", "a path stays a path under our authority")
    }

    func testHostsThatAreNotHostNamesAreRefused() {
        for host in ["", "evil.example/path", "evil.example@good", "good:80@evil", "a b", "[::1", "[zz::1]", "host:port",
                     "host:123456", ".leading", "-dash", "exa\u{6D}ple.org\r\nX-Injected: 1"] {
            XCTAssertNil(HTTPSRedirect.location(host: host, target: "/", httpsPort: 443), host)
        }
    }

    func testOnlyAPathIsATarget() {
        XCTAssertNil(HTTPSRedirect.location(host: "example.org", target: "*", httpsPort: 443))
        XCTAssertNil(HTTPSRedirect.location(host: "example.org", target: "example.org:443", httpsPort: 443))
    }

    func testTheResponseIsA308OrA400() {
        let moved = HTTPSRedirect.response(host: "example.org", target: "/updates", httpsPort: 8443)
        XCTAssertEqual(moved.status, 308)
        XCTAssertEqual(moved.headers.first { $0.name == "Location" }?.value, "https://example.org:8443/updates")
        XCTAssertEqual(HTTPSRedirect.response(host: nil, target: "/updates", httpsPort: 8443).status, 400)
    }
}
