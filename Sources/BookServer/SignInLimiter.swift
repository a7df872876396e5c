import Synchronization

/// Slows down password guessing: per user name and per client address, a few failed
/// sign-ins are free, then each further attempt waits a delay that doubles with each
/// failure, up to a minute. Attempts made while waiting are refused without counting, so an
/// attacker cannot push a real user's wait beyond a minute; a success clears the name's
/// count, and an address that signed in as a name before is not held back by that name's
/// count (only by its own). Memory only: a restart forgets, which costs an attacker nothing
/// they could not get by waiting a minute.
final class SignInLimiter: Sendable {
    struct Entry {
        var failures = 0
        var until: ContinuousClock.Instant = .now
        var last: ContinuousClock.Instant = .now
    }

    private struct State {
        var names: [String: Entry] = [:]
        var addresses: [String: Entry] = [:]
        /// Addresses that signed in as a name (lowercased), so its count does not hold them back.
        var known: [String: Set<String>] = [:]
    }

    private let state = Mutex(State())
    /// Failures that cost nothing, per name and per address (higher: a sprint's room often
    /// shares one address).
    let freePerName: Int
    let freePerAddress: Int
    let maxDelay: Duration
    /// A count not added to for this long starts again from zero.
    let forgetAfter: Duration = .seconds(15 * 60)
    private let capacity = 100_000

    init(freePerName: Int = 5, freePerAddress: Int = 20, maxDelay: Duration = .seconds(60)) {
        self.freePerName = freePerName
        self.freePerAddress = freePerAddress
        self.maxDelay = maxDelay
    }

    /// How long the attempt must wait, or nil when it may go ahead.
    func wait(name: String, address: String) -> Duration? {
        let name = name.lowercased()
        let now = ContinuousClock.now
        return self.state.withLock { state in
            var waits = [state.addresses[address]?.until]
            if !(state.known[name]?.contains(address) ?? false) { waits.append(state.names[name]?.until) }
            guard let until = waits.compactMap({ $0 }).max(), until > now else { return nil }
            return until - now
        }
    }

    func failed(name: String, address: String) {
        let name = name.lowercased()
        let now = ContinuousClock.now
        self.state.withLock { state in
            if state.names.count + state.addresses.count > self.capacity { self.prune(&state, now: now) }
            state.names[name] = self.counted(state.names[name], free: self.freePerName, now: now)
            state.addresses[address] = self.counted(state.addresses[address], free: self.freePerAddress, now: now)
        }
    }

    func succeeded(name: String, address: String) {
        let name = name.lowercased()
        self.state.withLock { state in
            state.names[name] = nil
            state.addresses[address] = nil
            state.known[name, default: []].insert(address)
        }
    }

    private func counted(_ entry: Entry?, free: Int, now: ContinuousClock.Instant) -> Entry {
        var entry = entry.flatMap { now - $0.last < self.forgetAfter ? $0 : nil } ?? Entry()
        entry.failures += 1
        entry.last = now
        if entry.failures > free {
            let doublings = min(entry.failures - free - 1, 16)
            entry.until = now + min(.seconds(1 << doublings), self.maxDelay)
        }
        return entry
    }

    private func prune(_ state: inout State, now: ContinuousClock.Instant) {
        state.names = state.names.filter { now - $0.value.last < self.forgetAfter }
        state.addresses = state.addresses.filter { now - $0.value.last < self.forgetAfter }
        if state.known.count > self.capacity { state.known.removeAll() }
    }
}
