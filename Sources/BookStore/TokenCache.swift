import Synchronization

/// Bearer tokens recently seen, so that a request does not hash its token and read the
/// database to learn who sent it (the token itself is the key: every request carries it in
/// memory anyway; the database keeps only hashes). An entry lives `lifetime`: a token
/// revoked by another process (`booksprint user passwd` beside a running server) stops
/// working within that time; one revoked through this store stops at once (`remove`,
/// `removeAll`).
final class TokenCache: Sendable {
    private let entries = Mutex([String: (user: User, until: ContinuousClock.Instant)]())
    private let lifetime: Duration
    private let capacity = 10_000

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    func user(forToken token: String) -> User? {
        self.entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.until > .now else {
                entries[token] = nil
                return nil
            }
            return entry.user
        }
    }

    func put(_ user: User, forToken token: String) {
        let until = ContinuousClock.now + self.lifetime
        self.entries.withLock { entries in
            if entries.count >= self.capacity { entries.removeAll() }
            entries[token] = (user, until)
        }
    }

    func remove(_ token: String) {
        self.entries.withLock { $0[token] = nil }
    }

    func removeAll() {
        self.entries.withLock { $0.removeAll() }
    }
}
