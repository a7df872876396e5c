import Dispatch
import Foundation

/// Runs `transform` for `0..<count` on worker threads and hands the results to `consume`
/// in index order on the calling thread, as a pipeline: workers render the next chapters
/// while the caller writes the current one. Output is byte-for-byte what a sequential run
/// writes, and at most `window` results wait in memory, not the book.
enum OrderedParallelMap {
    static func run<T>(
        count: Int, window: Int = 8,
        transform: @escaping @Sendable (Int) -> T, consume: (Int, T) throws -> Void
    ) throws {
        let workers = min(max(1, ProcessInfo.processInfo.activeProcessorCount), count)
        if workers <= 1 {
            for index in 0..<count { try consume(index, transform(index)) }
            return
        }
        let state = PipelineState<T>(count: count, window: max(window, workers))
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) {
                while let index = state.claim() { state.deliver(transform(index), at: index) }
            }
        }
        defer {
            state.cancel()
            group.wait()
        }
        for index in 0..<count { try consume(index, state.take(index)) }
    }

    /// Hands out indexes no further than `window` ahead of the consumer, and keeps the
    /// results until the consumer takes them.
    private final class PipelineState<T>: @unchecked Sendable {
        private let condition = NSCondition()
        private let count: Int
        private let window: Int
        private var next = 0
        private var consumed = 0
        private var cancelled = false
        private var results: [Int: T] = [:]

        init(count: Int, window: Int) {
            self.count = count
            self.window = window
        }

        func claim() -> Int? {
            self.condition.lock()
            defer { self.condition.unlock() }
            while !self.cancelled, self.next < self.count, self.next >= self.consumed + self.window {
                self.condition.wait()
            }
            guard !self.cancelled, self.next < self.count else { return nil }
            self.next += 1
            return self.next - 1
        }

        func deliver(_ result: T, at index: Int) {
            self.condition.lock()
            self.results[index] = result
            self.condition.broadcast()
            self.condition.unlock()
        }

        func take(_ index: Int) -> T {
            self.condition.lock()
            defer { self.condition.unlock() }
            while self.results[index] == nil { self.condition.wait() }
            self.consumed = index + 1
            self.condition.broadcast()
            return self.results.removeValue(forKey: index)!
        }

        func cancel() {
            self.condition.lock()
            self.cancelled = true
            self.condition.broadcast()
            self.condition.unlock()
        }
    }
}
