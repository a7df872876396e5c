import GRDB

extension AppDatabase {
    /// Append-only: a released migration is never edited, a change is a new migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE user (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    passwordHash TEXT NOT NULL,
                    isAdmin BOOLEAN NOT NULL DEFAULT 0,
                    createdAt DATETIME NOT NULL
                );
                CREATE TABLE token (
                    hash TEXT PRIMARY KEY,
                    userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    createdAt DATETIME NOT NULL
                );
                CREATE TABLE book (
                    id TEXT PRIMARY KEY,
                    metadata TEXT NOT NULL,       -- BookMetadata as JSON
                    workflow TEXT NOT NULL,       -- [String] as JSON
                    toc TEXT NOT NULL,            -- [TOCNode] as JSON
                    tocVersion INTEGER NOT NULL,
                    seq INTEGER NOT NULL DEFAULT 0,
                    createdAt DATETIME NOT NULL
                );
                CREATE TABLE member (
                    bookId TEXT NOT NULL REFERENCES book(id) ON DELETE CASCADE,
                    userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('reader', 'author', 'facilitator')),
                    PRIMARY KEY (bookId, userId)
                );
                CREATE TABLE chapter (
                    id TEXT PRIMARY KEY,
                    bookId TEXT NOT NULL REFERENCES book(id) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    status TEXT NOT NULL,
                    head INTEGER NOT NULL CHECK (head >= 1),
                    deleted BOOLEAN NOT NULL DEFAULT 0,
                    createdAt DATETIME NOT NULL
                );
                CREATE INDEX chapter_book ON chapter(bookId);
                CREATE TABLE revision (
                    chapterId TEXT NOT NULL REFERENCES chapter(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL CHECK (number >= 1),
                    parent INTEGER,
                    author TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    message TEXT,
                    merged BOOLEAN NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (chapterId, number)
                ) WITHOUT ROWID;
                CREATE TABLE conflict (
                    id TEXT PRIMARY KEY,
                    chapterId TEXT NOT NULL REFERENCES chapter(id) ON DELETE CASCADE,
                    base INTEGER NOT NULL,
                    head INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    author TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'dismissed')),
                    closedBy INTEGER
                );
                CREATE INDEX conflict_chapter ON conflict(chapterId, state);
                CREATE TABLE change (
                    bookId TEXT NOT NULL REFERENCES book(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    details TEXT NOT NULL,        -- ChangeDetails as JSON
                    createdAt DATETIME NOT NULL,
                    PRIMARY KEY (bookId, seq)
                ) WITHOUT ROWID;
                CREATE TABLE asset (
                    bookId TEXT NOT NULL REFERENCES book(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    contentType TEXT NOT NULL,
                    data BLOB NOT NULL,
                    updatedAt DATETIME NOT NULL,
                    PRIMARY KEY (bookId, name)
                );
                CREATE TABLE idempotency (
                    userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    result BLOB NOT NULL,         -- the operation's result as JSON
                    createdAt DATETIME NOT NULL,
                    PRIMARY KEY (userId, key)
                );
                """)
        }
        Self.registerChapterFiles(in: &migrator)
        Self.registerRevisionDeltas(in: &migrator)
        Self.registerChapterTargets(in: &migrator)
        Self.registerInvites(in: &migrator)
        Self.registerAccountRules(in: &migrator)
        return migrator
    }
}
