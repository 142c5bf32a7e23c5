import XCTest
@testable import Store

/// Dense positions answer every question a sorted list does, the same way.
final class DensePositionsTests: XCTestCase {
    private func randomList(universe: Int, share: Double, seed: inout UInt64) -> [Int32] {
        (0..<universe).compactMap { position in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) < share ? Int32(position) : nil
        }
    }

    func testContainsRankAndSelectAgreeWithTheList() {
        var seed: UInt64 = 7
        for universe in [1, 63, 64, 65, 500, 4099] {
            for share in [0.0, 0.07, 0.5, 1.0] {
                let list = randomList(universe: universe, share: share, seed: &seed)
                let set = DensePositions(list, universe: universe)
                XCTAssertEqual(set.count, list.count)
                XCTAssertEqual(set.positions, list)
                for (index, position) in list.enumerated() {
                    XCTAssertEqual(set.select(index), position)
                    XCTAssertEqual(set.rank(position), index)
                }
                let members = Set(list)
                for position in Int32(-1)...Int32(universe + 1) {
                    XCTAssertEqual(set.contains(position), members.contains(position), "\(universe) \(share) \(position)")
                }
            }
        }
    }

    func testIntersectionsInARangeMatchTheListsOnes() {
        var seed: UInt64 = 11
        let universe = 3000
        let lists = (0..<3).map { _ in randomList(universe: universe, share: 0.4, seed: &seed) }
        let sparse = randomList(universe: universe, share: 0.02, seed: &seed)
        for range in [Int32(0)..<Int32(universe), 1..<2999, 64..<128, 65..<127, 700..<701, 5..<5] {
            let want = lists.map(Set.init).reduce(Set(range)) { $0.intersection($1) }.sorted()
            let dense = lists.map { PositionList.dense(DensePositions($0, universe: universe), ranks: 0..<$0.count) }
            let clipped = dense.map { list -> PositionList in
                guard case .dense(let set, _) = list else { return list }
                return .dense(set, ranks: set.rank(range.lowerBound)..<set.rank(range.upperBound))
            }
            XCTAssertEqual(Array(PositionList.intersect(clipped, in: range)), want, "\(range)")
            // With a list among them, the list is walked and the sets are looked up.
            let mixed = [PositionList.slice(PositionList.clip(ArraySlice(sparse), to: range))] + clipped
            XCTAssertEqual(Array(PositionList.intersect(mixed, in: range)), want.filter(Set(sparse).contains), "\(range)")
            for position in want.prefix(20) { XCTAssertTrue(PositionList.intersect(clipped, in: range).contains(position: position)) }
        }
    }

    func testOnlyListsOfASixteenthOrMoreAreDense() {
        guard case .list = Posting(Array(0..<10), universe: 161) else { return XCTFail("10 of 161 is sparse") }
        guard case .dense = Posting(Array(0..<10), universe: 160) else { return XCTFail("10 of 160 is dense") }
    }
}
