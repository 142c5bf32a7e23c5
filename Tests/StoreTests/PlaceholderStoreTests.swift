import XCTest
final class PlaceholderStoreTests: XCTestCase { func testBuilds() {} }
