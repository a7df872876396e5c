import Synchronization

/// Recently used revision texts, by chapter and revision number, up to a byte budget.
///
/// Safe without invalidation because a committed revision never changes: entries are put
/// only for revisions read from the database or after their transaction committed. The
/// heads being edited are what is asked for most (every save compares with its head and
/// stores itself as a delta against it), and reading one from the database means applying
/// a chain of deltas. Eviction is oldest-put-first, which keeps the heads: each save puts
/// the new one.
final class RevisionTextCache: Sendable {
    struct Key: Hashable {
        var chapter: String
        var revision: Int
    }

    private struct State {
        var texts: [Key: String] = [:]
        var order: [Key] = []
        var first = 0
        var bytes = 0
    }

    private let state = Mutex(State())
    private let budget: Int

    init(budget: Int = 16 << 20) {
        self.budget = budget
    }

    func text(of chapter: String, revision: Int) -> String? {
        self.state.withLock { $0.texts[Key(chapter: chapter, revision: revision)] }
    }

    /// Forgets revisions written by a write that rolled back.
    func remove(_ keys: [Key]) {
        self.state.withLock { state in
            for key in keys { state.bytes -= state.texts.removeValue(forKey: key)?.utf8.count ?? 0 }
        }
    }

    func put(_ text: String, of chapter: String, revision: Int) {
        let key = Key(chapter: chapter, revision: revision)
        let size = text.utf8.count
        guard size <= self.budget / 4 else { return }
        self.state.withLock { state in
            guard state.texts.updateValue(text, forKey: key) == nil else { return }
            state.order.append(key)
            state.bytes += size
            while state.bytes > self.budget, state.first < state.order.count {
                let old = state.order[state.first]
                state.first += 1
                state.bytes -= state.texts.removeValue(forKey: old)?.utf8.count ?? 0
            }
            // Drop the evicted keys' slots now and then, not on every eviction.
            if state.first > 1024, state.first * 2 > state.order.count {
                state.order.removeFirst(state.first)
                state.first = 0
            }
        }
    }
}
