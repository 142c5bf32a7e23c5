import XCTest
@testable import Server

final class CacheSettingsTests: XCTestCase {
    func resolve(_ flag: String?, _ environment: [String: String]) -> CacheSettings {
        CacheSettings.resolve(flag: flag, environment: environment)
    }

    func testTheFlagWinsThenTheVariableThenXDGThenHome() {
        let everything = ["LIVEBLOG_CACHE_DIR": "/var/cache/lb", "XDG_CACHE_HOME": "/xdg", "HOME": "/home/me"]
        XCTAssertEqual(resolve("/srv/cache", everything), .directory("/srv/cache"))
        XCTAssertEqual(resolve(nil, everything), .directory("/var/cache/lb"))
        XCTAssertEqual(resolve(nil, ["XDG_CACHE_HOME": "/xdg", "HOME": "/home/me"]), .directory("/xdg/liveblog"))
        XCTAssertEqual(resolve(nil, ["XDG_CACHE_HOME": "/xdg/", "HOME": "/home/me"]), .directory("/xdg/liveblog"))
        XCTAssertEqual(resolve(nil, ["HOME": "/home/me"]), .directory("/home/me/.cache/liveblog"))
    }

    func testNoneTurnsTheCacheOff() {
        XCTAssertEqual(resolve("none", ["LIVEBLOG_CACHE_DIR": "/var/cache/lb", "HOME": "/home/me"]), .off)
        XCTAssertEqual(resolve(nil, ["LIVEBLOG_CACHE_DIR": "none", "HOME": "/home/me"]), .off)
        XCTAssertEqual(resolve("/srv/cache", ["LIVEBLOG_CACHE_DIR": "none"]), .directory("/srv/cache"), "the flag wins")
        XCTAssertNil(CacheSettings.off.directory)
    }

    func testEmptyAndRelativeValuesCountAsUnset() {
        XCTAssertEqual(resolve("", ["LIVEBLOG_CACHE_DIR": "", "XDG_CACHE_HOME": "", "HOME": "/home/me"]),
                       .directory("/home/me/.cache/liveblog"))
        XCTAssertEqual(resolve(nil, ["XDG_CACHE_HOME": "relative/cache", "HOME": "/home/me"]),
                       .directory("/home/me/.cache/liveblog"), "the XDG specification says to ignore a relative path")
    }

    func testWithoutAnyPlaceTheCacheIsUnavailableAndSaysWhy() {
        guard case .unavailable(let why) = resolve(nil, [:]) else { return XCTFail("\(resolve(nil, [:]))") }
        XCTAssertTrue(why.contains("HOME"), why)
        XCTAssertNil(resolve(nil, [:]).directory)
    }
}
