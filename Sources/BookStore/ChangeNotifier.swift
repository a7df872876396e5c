import Foundation
import Synchronization

/// Wakes the long-polls and event streams of a book after a commit appended to its change
/// log. Waiters re-read the log themselves, so a wake-up carries no data and a spurious one
/// is harmless.
public final class ChangeNotifier: Sendable {
    private struct Waiter {
        var book: String
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        /// Counts notifications per book, so a waiter can tell whether it missed one.
        var generations: [String: UInt64] = [:]
        /// The timeout of each waiter, cancelled once it is woken (streams wait often).
        var timers: [UInt64: Task<Void, Never>] = [:]
        /// Counts password changes per user, so that a stream can tell its session ended.
        var sessions: [Int64: UInt64] = [:]
    }

    private let state = Mutex(State())
    private let nextID = Atomic<UInt64>(0)

    init() {}

    /// Wakes every waiter of `book` (called after commits, and to end streams at shutdown).
    public func wake(book: String) {
        let woken = self.state.withLock { state in
            state.generations[book, default: 0] += 1
            let ids = state.waiters.filter { $0.value.book == book }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in woken { continuation.resume() }
    }

    /// Ends the event streams of `user` (a password change): they wake and see that
    /// `sessionGeneration(of:)` moved.
    public func endSessions(of user: Int64) {
        let woken = self.state.withLock { state in
            state.sessions[user, default: 0] += 1
            for book in state.generations.keys { state.generations[book]! += 1 }
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Read when a stream starts; a stream whose user's generation moved ends.
    public func sessionGeneration(of user: Int64) -> UInt64 {
        self.state.withLock { $0.sessions[user, default: 0] }
    }

    /// How many long-polls and streams of `book` are waiting now (tests commit only once a
    /// follower is waiting, instead of guessing how long it takes to get there).
    public func waiting(book: String) -> Int {
        self.state.withLock { state in state.waiters.values.filter { $0.book == book }.count }
    }

    /// Read before looking at the change log; pass to `wait` so that a commit in between
    /// is not missed.
    public func generation(book: String) -> UInt64 {
        // Recorded even when 0, so that `endSessions` moves it.
        self.state.withLock { state in
            if let generation = state.generations[book] { return generation }
            state.generations[book] = 0
            return 0
        }
    }

    /// Returns at the next commit to `book`'s change log after `generation`, after
    /// `timeout`, or on cancellation, whichever comes first.
    public func wait(book: String, after generation: UInt64, timeout: Duration) async {
        let id = self.nextID.add(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let missed = self.state.withLock { state in
                    if state.generations[book, default: 0] != generation || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(book: book, continuation: continuation)
                    // Created under the lock, so it cannot fire before it is recorded.
                    state.timers[id] = Task { [weak self] in
                        try? await Task.sleep(for: timeout)
                        self?.wake(id)
                    }
                    return false
                }
                if missed { continuation.resume() }
            }
        } onCancel: {
            self.wake(id)
        }
        self.state.withLock { $0.timers.removeValue(forKey: id) }?.cancel()
    }

    private func wake(_ id: UInt64) {
        self.state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
    }
}
