import Glibc

/// Bound, listening, non-blocking TCP sockets on one address, IPv4 or IPv6 as the host says:
/// one per event loop, with SO_REUSEPORT, so that the kernel spreads new connections evenly
/// across the loops by their addresses. (One socket shared with EPOLLEXCLUSIVE was measured
/// first: the loop that wakes accepts the whole burst, and with wrk's 64 connections one loop
/// served them all while the other idled.)
struct Listener {
    let fileDescriptors: [Int32]
    var fileDescriptor: Int32 { fileDescriptors[0] }
    /// `http://127.0.0.1:8080`, `http://[::1]:8080`: the address actually bound.
    let displayAddress: String
    let port: Int

    static let backlog: Int32 = 4096

    enum Failure: Error, CustomStringConvertible {
        case badHost(String)
        case system(SystemError, host: String, port: Int)

        var description: String {
            switch self {
            case .badHost(let host): return "cannot listen on '\(host)': not an IP address or a known host name"
            case .system(let error, let host, let port):
                if error.code == EADDRINUSE { return "cannot listen on \(host) port \(port): the port is already in use" }
                if error.code == EACCES { return "cannot listen on \(host) port \(port): permission denied (ports below 1024 need privileges)" }
                return "cannot listen on \(host) port \(port): \(error)"
            }
        }
    }

    init(host: String, port: Int, sockets: Int = 1) throws(Failure) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else { throw .badHost(host) }
        defer { freeaddrinfo(list) }

        if port != 0 {
            // SO_REUSEPORT would let us share a port silently with another server run by the
            // same user; a first bind without it fails as it should when the port is taken.
            let probe = try Self.bound(info.pointee, host: host, port: port, reusePort: false)
            Glibc.close(probe)
        }
        var descriptors: [Int32] = []
        var storage = sockaddr_storage()
        do {
            for _ in 0..<max(1, sockets) {
                let fd: Int32
                if descriptors.isEmpty {
                    fd = try Self.bound(info.pointee, host: host, port: port, reusePort: true)
                    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                    _ = withUnsafeMutablePointer(to: &storage) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                    }
                } else {
                    // The others join the first one's address (its port, when 0 asked for any).
                    var joined = info.pointee
                    var copy = storage
                    fd = try withUnsafeMutablePointer(to: &copy) { (pointer) throws(Failure) -> Int32 in
                        joined.ai_addr = UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: sockaddr.self)
                        return try Self.bound(joined, host: host, port: port, reusePort: true)
                    }
                }
                descriptors.append(fd)
            }
        } catch {
            for fd in descriptors { Glibc.close(fd) }
            throw error
        }
        fileDescriptors = descriptors
        (displayAddress, self.port) = Self.describe(storage)
    }

    /// One socket bound to `address` and listening.
    private static func bound(_ address: addrinfo, host: String, port: Int, reusePort: Bool) throws(Failure) -> Int32 {
        let fd = socket(address.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(SystemError("socket"), host: host, port: port) }
        var one: Int32 = 1
        var zero: Int32 = 0
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort {
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        if address.ai_family == AF_INET6 {
            // `::` serves IPv4 clients too, as users of a dual-stack host expect.
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, socklen_t(MemoryLayout<Int32>.size))
        }
        let length = address.ai_family == AF_INET6 ? socklen_t(MemoryLayout<sockaddr_in6>.size) : socklen_t(MemoryLayout<sockaddr_in>.size)
        guard bind(fd, address.ai_addr, length) == 0 else {
            let error = SystemError("bind")
            Glibc.close(fd)
            throw .system(error, host: host, port: port)
        }
        guard listen(fd, Self.backlog) == 0 else {
            let error = SystemError("listen")
            Glibc.close(fd)
            throw .system(error, host: host, port: port)
        }
        return fd
    }

    private static func string(_ text: [CChar]) -> String {
        String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func describe(_ storage: sockaddr_storage) -> (String, Int) {
        var copy = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                    let port = Int(UInt16(bigEndian: address.pointee.sin6_port))
                    return ("[\(Self.string(text))]:\(port)", port)
                }
            }
        }
        return withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                var raw = address.pointee.sin_addr
                inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                let port = Int(UInt16(bigEndian: address.pointee.sin_port))
                return ("\(Self.string(text)):\(port)", port)
            }
        }
    }
}
