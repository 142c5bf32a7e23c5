import XCTest
final class PlaceholderRoutesTests: XCTestCase { func testBuilds() {} }
