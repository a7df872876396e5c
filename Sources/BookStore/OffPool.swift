import Dispatch

/// Runs CPU-heavy synchronous work (bcrypt, three-way merges of long chapters) on a
/// Dispatch thread instead of Swift's cooperative pool, which has one thread per core: a
/// 300 ms bcrypt there would hold up every other request on that thread.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
