import Foundation
import GRDB

/// The book store: owns the database writer (one `DatabasePool` in WAL mode per process, or
/// an in-memory queue in tests) and the append-only migrator. Every public write method is
/// one transaction that keeps the invariants.
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Wakes long-polls and event streams after a transaction that appended to a change log.
    public let changes: ChangeNotifier
    /// Bounds the merges the save path runs at once.
    let merges = MergeGate()
    /// Recently read and written revision texts (most revisions are stored as deltas).
    let texts = RevisionTextCache()
    /// Recently seen bearer tokens.
    let tokens = TokenCache()
    /// Each chapter's head's word count, for the book view.
    let wordCounts = WordCountCache()
    /// Runs the writes, several to a transaction under load.
    let writes: WriteQueue
    /// Who has which chapter open, per book (memory only).
    public let presence: PresenceBoard

    /// Opens (creating when needed) the store file at `path`, migrating it to the current schema.
    public static func open(path: String) throws -> AppDatabase {
        try self.open(path: path, walRestartFrames: WALCheckpointer.restartFrames)
    }

    /// `walRestartFrames`: see `WALCheckpointer` (tests make it small).
    static func open(path: String, walRestartFrames: Int) throws -> AppDatabase {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL with synchronous=NORMAL: a commit is in the WAL file (the OS page cache)
            // before `write` returns, so it survives the process being killed; only a power
            // cut may lose the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer touches the same pages on every save (the chapter, the index and
            // last pages of the revision and change tables): 8 MiB of page cache keeps them,
            // where SQLite's default 2 MiB had it re-read them from the file (pread went
            // from 4% to 10% of the server's CPU in bench-sync). Readers, up to five, keep
            // the default: the heads being edited are kept whole in `texts`.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -8192")
                // Checkpoints run off the writer (see `WALCheckpointer`); a WAL file that grew
                // under load is cut back to 64 MiB once a checkpoint has emptied it.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                try db.execute(sql: "PRAGMA journal_size_limit = \(64 << 20)")
            }
        }
        let pool = try DatabasePool(path: path, configuration: config)
        return try AppDatabase(
            pool, presenceLifetime: PresenceBoard.defaultLifetime, checkpointer: WALCheckpointer(path: path, restartFrames: walRestartFrames))
    }

    /// A private in-memory store, for tests.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }

    public init(_ writer: any DatabaseWriter, presenceLifetime: Duration = PresenceBoard.defaultLifetime) throws {
        try self.init(writer, presenceLifetime: presenceLifetime, checkpointer: nil)
    }

    init(_ writer: any DatabaseWriter, presenceLifetime: Duration, checkpointer: WALCheckpointer?) throws {
        self.writer = writer
        self.changes = ChangeNotifier()
        self.presence = PresenceBoard(lifetime: presenceLifetime)
        self.writes = WriteQueue(writer: writer, texts: self.texts, changes: self.changes, checkpointer: checkpointer)
        try Self.migrator.migrate(writer)
    }

    /// Runs `work` as one atomic write (a savepoint in a group commit, see `WriteQueue`);
    /// answers once it committed, after waking whoever follows the books it changed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database, inout WriteEffects) throws -> T) async throws -> T {
        try await self.writes.write(work)
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await self.writer.read(work)
    }
}

extension AppDatabase {
    /// The current time in GRDB's text format for dates (UTC, milliseconds), made by SQLite
    /// in the statement: the save path writes two per save, and a `Date` argument is
    /// formatted by one shared `DateFormatter`, which showed in its profile.
    static let now = Self.sqlTime()

    /// An SQL expression for the time now, moved by SQLite date `modifiers` (`'-30 days'`),
    /// in GRDB's text format for dates.
    static func sqlTime(_ modifiers: String...) -> String {
        "strftime('%Y-%m-%d %H:%M:%f', 'now'" + modifiers.map { ", '\($0)'" }.joined() + ")"
    }
}

/// Short random identifiers for books, chapters, TOC nodes and conflicts: 12 characters of
/// a 32-letter alphabet (60 bits), readable in URLs.
enum RandomID {
    private static let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")

    static func make(prefix: String) -> String {
        var rng = SystemRandomNumberGenerator()
        return prefix + String((0..<12).map { _ in self.alphabet[Int(rng.next() % 32)] })
    }

    /// 256 random bits as hex, for bearer tokens.
    static func token() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let s = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }
}
