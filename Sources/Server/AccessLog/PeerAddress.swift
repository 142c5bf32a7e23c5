import Glibc

/// The address of a connection's client, as the access log shows it (`127.0.0.1:50312`,
/// `[::1]:50312`): asked of the kernel once per connection, the first time it is logged.
enum PeerAddress {
    static func of(_ fileDescriptor: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fileDescriptor, $0, &length) }
        }
        guard status == 0 else { return "" }
        return Listener.describe(storage).0
    }
}
