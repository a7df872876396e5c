import Foundation

/// Lets at most `limit` merges run at once. A merge of a long chapter is CPU and memory
/// (several copies of each text plus line tables); more merges than cores only add memory
/// and let heads move under them, so that their work is thrown away.
actor MergeGate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        self.limit = limit
    }

    /// Runs `work` off the actor and off the cooperative pool, up to `limit` at once.
    nonisolated func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        await self.acquire()
        do {
            let value = try await offPool(work)
            await self.release()
            return value
        } catch {
            await self.release()
            throw error
        }
    }

    private func acquire() async {
        if self.running < self.limit {
            self.running += 1
        } else {
            await withCheckedContinuation { self.waiting.append($0) }
        }
    }

    /// Hands the permit to the next waiter, if any.
    private func release() {
        if self.waiting.isEmpty { self.running -= 1 } else { self.waiting.removeFirst().resume() }
    }
}
