import Foundation

/// One object per thread, made on first use and released when the thread ends: the
/// tokenizer's vocabulary and the search word cache, which are never shared and so never lock.
enum PerThread {
    /// A key whose values are objects this type retained (`object(for:make:)`).
    static func makeKey() -> pthread_key_t {
        var key = pthread_key_t()
        pthread_key_create(&key) { held in
            guard let held else { return }
            Unmanaged<AnyObject>.fromOpaque(held).release()
        }
        return key
    }

    /// This thread's object under `key`, made by `make` the first time.
    static func object<T: AnyObject>(for key: pthread_key_t, make: () -> T) -> T {
        if let held = pthread_getspecific(key) {
            return Unmanaged<T>.fromOpaque(held).takeUnretainedValue()
        }
        let made = make()
        pthread_setspecific(key, Unmanaged.passRetained(made).toOpaque())
        return made
    }
}
