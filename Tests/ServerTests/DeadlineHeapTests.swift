import XCTest
@testable import Server

/// The loop's deadline heap and connection table: the earliest deadline first, a deadline
/// moved later found again under its real time, removal anywhere, and a table that grows
/// to the descriptors used.
final class DeadlineHeapTests: XCTestCase {
    func connection(fd: Int32 = -1) -> Connection {
        Connection(transport: PlainTransport(fileDescriptor: fd), responder: .routes, now: 0)
    }

    func testConnectionsComeOutInDeadlineOrderAndOnlyWhenDue() {
        var heap = DeadlineHeap()
        var generator = SplitMix(seed: 3)
        let deadlines = (0..<200).map { _ in Int64(generator.next() % 10_000) }
        let connections = deadlines.map { _ in connection() }
        for (connection, deadline) in zip(connections, deadlines) { heap.schedule(connection, at: deadline) }
        XCTAssertEqual(heap.earliest, deadlines.min())
        XCTAssertNil(heap.popDue(now: deadlines.min()! - 1))
        let byConnection = Dictionary(uniqueKeysWithValues: zip(connections.map(ObjectIdentifier.init), deadlines))
        var popped: [Int64] = []
        while let next = heap.popDue(now: .max) { popped.append(byConnection[ObjectIdentifier(next)]!) }
        XCTAssertEqual(popped, deadlines.sorted())
        XCTAssertTrue(heap.isEmpty)
    }

    func testAMoveEarlierRefilesAndAMoveLaterWaitsForTheEarlierTime() {
        var heap = DeadlineHeap()
        let a = connection(), b = connection()
        heap.schedule(a, at: 100)
        heap.schedule(b, at: 200)
        heap.schedule(b, at: 50)
        XCTAssertEqual(heap.earliest, 50)
        heap.schedule(b, at: 500)
        XCTAssertEqual(b.filedDeadline, 50, "moving later does not touch the heap")
        XCTAssertTrue(heap.popDue(now: 60) === b)
        XCTAssertNil(heap.popDue(now: 60))
        XCTAssertEqual(heap.count, 1)
    }

    func testRemovalFromTheMiddleKeepsTheOrder() {
        var heap = DeadlineHeap()
        let all = (0..<50).map { _ in connection() }
        for (index, connection) in all.enumerated() { heap.schedule(connection, at: Int64(index * 7 % 50)) }
        for connection in all where connection.filedDeadline % 3 == 0 { heap.remove(connection) }
        var last: Int64 = -1
        while let next = heap.popDue(now: .max) {
            let deadline = Int64(all.firstIndex { $0 === next }! * 7 % 50)
            XCTAssertNotEqual(deadline % 3, 0)
            XCTAssertGreaterThanOrEqual(deadline, last)
            last = deadline
        }
    }

    func testTheTableGrowsToTheDescriptorsUsed() {
        var table = ConnectionTable()
        let high = connection(fd: 10_000)
        table.insert(high)
        table.insert(connection(fd: 3))
        XCTAssertTrue(table[10_000] === high)
        XCTAssertNil(table[20_000])
        XCTAssertEqual(table.count, 2)
        table.remove(high)
        XCTAssertNil(table[10_000])
        XCTAssertEqual(table.count, 1)
    }
}
