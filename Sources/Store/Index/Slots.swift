import Synchronization

/// One slot per task, each written once by the worker that ran it.
public final class Slots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = Mutex<Void>(())

    public init(count: Int) { storage = Array(repeating: nil, count: count) }

    public func set(_ index: Int, _ value: Value) {
        lock.withLock { _ in storage[index] = value }
    }

    public func values(default fallback: Value) -> [Value] { storage.map { $0 ?? fallback } }
}
