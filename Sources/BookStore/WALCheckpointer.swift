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
///
/// SQLite starts the WAL file over only when a write transaction begins with every frame
/// already copied, which a checkpoint running beside a busy writer never achieves: under
/// sustained saves the WAL grew by 15 MB/s. So once the WAL holds more than `restartFrames`
/// frames (256 MiB of 4 KiB pages), the writer checkpoints the few frames left itself,
/// between two batches, and the WAL starts over: a pause like the automatic checkpoint's,
/// but once per 256 MiB of WAL instead of once per 4 MiB. (Once per 64 MiB put bench-sync's
/// p99 back at 66 ms.) Under a sprint's usual load the writer has pauses, and the WAL
/// starts over in them.
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "booksprint.store.checkpoint")
    private let pending = Atomic<Bool>(false)
    private let restartWanted = Atomic<Bool>(false)
    private let restartFrames: Int
    /// 256 MiB of 4 KiB pages.
    static let restartFrames = 65536

    init(path: String, restartFrames: Int) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        self.connection = try DatabaseQueue(path: path, configuration: config)
        self.restartFrames = restartFrames
    }

    /// Whether the writer should checkpoint before its next transaction (asked once).
    func takeRestartRequest() -> Bool {
        self.restartWanted.exchange(false, ordering: .acquiringAndReleasing)
    }

    /// Called after each commit: a checkpoint runs within half a second, one at a time.
    func afterCommit() {
        guard self.pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        self.queue.asyncAfter(deadline: .now() + .milliseconds(500)) { [weak self] in
            guard let self else { return }
            self.pending.store(false, ordering: .releasing)
            // A checkpoint that fails (a full disk, say) leaves the frames in the WAL, where
            // readers find them; the next one tries again.
            if let (walFrames, _) = try? self.connection.writeWithoutTransaction({ try $0.checkpoint(.passive) }), walFrames > self.restartFrames {
                self.restartWanted.store(true, ordering: .releasing)
            }
        }
    }
}
