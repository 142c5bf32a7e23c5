import Routes
import Synchronization

/// The current router, swapped whole on reload. Loops compare `generation` on each request
/// (one relaxed atomic load) and fetch the new router only when it changed.
final class RouterBox: Sendable {
    private let current: Mutex<Router>
    private let counter = Atomic<Int>(0)

    init(_ router: Router) {
        current = Mutex(router)
    }

    var generation: Int { counter.load(ordering: .acquiring) }

    var router: Router { current.withLock { $0 } }

    func replace(with router: Router) {
        current.withLock { $0 = router }
        counter.add(1, ordering: .releasing)
    }
}
