import Dispatch
import GRDB
import Synchronization

/// What a write did besides its rows, acted on when its transaction ends: the books whose
/// change log it appended to (woken after the commit) and the revision texts it put in the
/// cache (forgotten if it rolls back, so that only committed revisions stay cached).
struct WriteEffects {
    var books: Set<String> = []
    var cachedRevisions: [RevisionTextCache.Key] = []

    mutating func add(_ other: WriteEffects) {
        self.books.formUnion(other.books)
        self.cachedRevisions += other.cachedRevisions
    }
}

/// Group commit for the store's writes. SQLite has one writer; rather than one
/// transaction per write, every write that is waiting when the writer comes free runs in
/// one transaction, each in a savepoint of its own. A write that throws rolls back its
/// savepoint alone and gets its error; the others commit together. A write is answered
/// only after the transaction that holds it committed, so an acknowledged write is as
/// durable as before. Under load this spreads a commit's cost (WAL frames for the pages
/// every save touches: the book's seq, the change log's last page, the index pages; the
/// commit itself; waking the thread that runs it) over the whole batch: the SQLite share
/// of the server's CPU went from ~20% to ~11% in bench-sync.
final class WriteQueue: Sendable {
    /// One waiting write: `work` runs in the batch's transaction, `finish` answers its
    /// caller once that transaction has ended.
    private struct Job: Sendable {
        let work: @Sendable (Database, inout WriteEffects) throws -> any Sendable
        let finish: @Sendable (Result<any Sendable, any Error>) -> Void
    }

    private struct State {
        var waiting: [Job] = []
        var draining = false
        var transactions = 0
    }

    private let writer: any DatabaseWriter
    private let texts: RevisionTextCache
    private let changes: ChangeNotifier
    /// Told of each commit, when the store is a file (WAL).
    private let checkpointer: WALCheckpointer?
    private let state = Mutex(State())
    /// Where batches run, one at a time, calling GRDB's blocking API: from a queue of its
    /// own, a batch costs one thread wake-up, not a task and a hop to GRDB's queue and back.
    private let drainQueue = DispatchQueue(label: "booksprint.store.writes")

    init(writer: any DatabaseWriter, texts: RevisionTextCache, changes: ChangeNotifier, checkpointer: WALCheckpointer? = nil) {
        self.writer = writer
        self.texts = texts
        self.changes = changes
        self.checkpointer = checkpointer
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database, inout WriteEffects) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(
                work: { db, effects in try work(db, &effects) },
                // `work` made the value, so it is a T.
                finish: { result in continuation.resume(with: result.map { $0 as! T }) })
            let startDrain = self.state.withLock { state in
                state.waiting.append(job)
                defer { state.draining = true }
                return !state.draining
            }
            if startDrain { self.drainQueue.async { self.drain() } }
        }
    }

    /// How many transactions the queue has run (tests check that writes share them).
    var transactions: Int { self.state.withLock { $0.transactions } }

    /// How many writes wait for the writer (tests hold the writer and wait for this).
    var waitingWrites: Int { self.state.withLock { $0.waiting.count } }

    /// Runs batches until no write is waiting.
    private func drain() {
        while true {
            let jobs = self.state.withLock { state in
                defer { state.waiting = [] }
                if state.waiting.isEmpty { state.draining = false } else { state.transactions += 1 }
                return state.waiting
            }
            if jobs.isEmpty { return }
            self.run(jobs)
        }
    }

    private func run(_ jobs: [Job]) {
        let texts = self.texts
        do {
            let (results, committed) = try self.writer.writeWithoutTransaction { db in
                var results: [Result<any Sendable, any Error>] = []
                var committed = WriteEffects()
                if self.checkpointer?.takeRestartRequest() == true {
                    // Lets the WAL start over (see `WALCheckpointer`); a failure only defers that.
                    _ = try? db.checkpoint(.passive)
                }
                do {
                    try db.inTransaction {
                        for job in jobs {
                            results.append(Self.runInSavepoint(job, db, committed: &committed, texts: texts))
                            // Some errors (a full disk, say) make SQLite roll back the whole
                            // transaction: then nothing of this batch is kept.
                            if case .failure(let error) = results.last, !db.isInsideTransaction { throw error }
                        }
                        return .commit
                    }
                } catch {
                    texts.remove(committed.cachedRevisions)
                    throw error
                }
                return (results, committed)
            }
            self.checkpointer?.afterCommit()
            for book in committed.books { self.changes.wake(book: book) }
            for (job, result) in zip(jobs, results) { job.finish(result) }
        } catch {
            // The transaction did not commit: no write of this batch happened.
            for job in jobs { job.finish(.failure(error)) }
        }
    }

    private static func runInSavepoint(
        _ job: Job, _ db: Database, committed: inout WriteEffects, texts: RevisionTextCache
    ) -> Result<any Sendable, any Error> {
        var effects = WriteEffects()
        do {
            var value: (any Sendable)?
            try db.inSavepoint {
                value = try job.work(db, &effects)
                return .commit
            }
            committed.add(effects)
            return .success(value!)
        } catch {
            texts.remove(effects.cachedRevisions)
            return .failure(error)
        }
    }
}
