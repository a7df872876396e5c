import Dispatch
import GRDB
import Synchronization

/// Checkpoints the store's WAL off the writer. SQLite's automatic checkpoint runs inside
/// the commit that takes the WAL past 1,000 pages, and with `synchronous=NORMAL` it syncs
/// the WAL and the database file to disk there: every save of that batch, and every batch
/// behind it, waited for the disk (bench-sync's p99 was 52-55 ms with it, 30-36 ms
/// without). So the writer's automatic checkpoint is off, and after a commit this runs a
/// PASSIVE checkpoint on a connection of its own within half a second. A passive checkpoint
/// does not block the writer or wait for readers; whatever it cannot copy yet, the next one
/// does.
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "booksprint.store.checkpoint")
    private let pending = Atomic<Bool>(false)

    init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        self.connection = try DatabaseQueue(path: path, configuration: config)
    }

    /// Called after each commit: a checkpoint runs within half a second, one at a time.
    func afterCommit() {
        guard self.pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        self.queue.asyncAfter(deadline: .now() + .milliseconds(500)) { [weak self] in
            guard let self else { return }
            self.pending.store(false, ordering: .releasing)
            // A checkpoint that fails (a full disk, say) leaves the frames in the WAL, where
            // readers find them; the next one tries again.
            _ = try? self.connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
        }
    }
}
