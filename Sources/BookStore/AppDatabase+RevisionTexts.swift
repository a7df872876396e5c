import Foundation
import GRDB

/// How revision texts are kept: a chapter's revision is either its whole text or a
/// `TextDelta` against the revision before it. A run of deltas ends at a whole text after
/// `maxChain` deltas, or once the deltas since the last whole text add up to half the
/// text's size, so reading any revision applies at most `maxChain` deltas to one whole text
/// and the chapter's history takes at most about 1.5 times its whole texts' size.
extension AppDatabase {
    static let maxChain = 50

    /// v3: the revision table rebuilt with `delta` beside `text` (exactly one of them set)
    /// and the length of the run of deltas each revision ends (`chain`, 0 for a whole
    /// text; `chainBytes`, their size). The small columns come before the texts, so reading
    /// them does not page through a long text. Existing revisions stay whole texts.
    static func registerRevisionDeltas(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-revision-deltas") { db in
            try db.execute(sql: """
                CREATE TABLE revision_v3 (
                    chapterId TEXT NOT NULL REFERENCES chapter(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL CHECK (number >= 1),
                    parent INTEGER,
                    author TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    message TEXT,
                    merged BOOLEAN NOT NULL,
                    chain INTEGER NOT NULL CHECK (chain >= 0 AND chain < number),
                    chainBytes INTEGER NOT NULL CHECK (chainBytes >= 0),
                    text TEXT,
                    delta BLOB,
                    PRIMARY KEY (chapterId, number),
                    CHECK ((text IS NULL) <> (delta IS NULL)),
                    CHECK ((chain = 0) = (text IS NOT NULL))
                ) WITHOUT ROWID;
                INSERT INTO revision_v3 (chapterId, number, parent, author, createdAt, message, merged, chain, chainBytes, text)
                    SELECT chapterId, number, parent, author, createdAt, message, merged, 0, 0, text FROM revision;
                DROP TABLE revision;
                ALTER TABLE revision_v3 RENAME TO revision;
                """)
        }
    }

    /// Stores revision `number` of a chapter with `text`; `previous` is the text of revision
    /// `number - 1` (nil for the first), which a delta is made against.
    func insertRevision(
        chapter: String, number: Int, parent: Int?, author: String, message: String?, merged: Bool,
        text: String, previous: String?, _ db: Database, effects: inout WriteEffects
    ) throws {
        var chain = 0, chainBytes = 0
        var delta: [UInt8]?
        if let previous, let run = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT chain, chainBytes FROM revision WHERE chapterId = ? AND number = ?"), arguments: [chapter, number - 1])
        {
            let candidate = TextDelta.encode(from: previous, to: text)
            let (runLength, runBytes): (Int, Int) = (run["chain"], run["chainBytes"])
            if runLength < Self.maxChain, runBytes + candidate.count <= max(text.utf8.count / 2, 4096) {
                (chain, chainBytes, delta) = (runLength + 1, runBytes + candidate.count, candidate)
            }
        }
        try db.cachedStatement(sql: """
                INSERT INTO revision (chapterId, number, parent, author, createdAt, message, merged, chain, chainBytes, text, delta)
                VALUES (?, ?, ?, ?, \(Self.now), ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [chapter, number, parent, author, message, merged, chain, chainBytes, delta == nil ? text : nil, delta.map { Data($0) }])
        // Cached at once, so that the rest of this transaction reads it; the write queue
        // forgets it if the write rolls back, so that only committed revisions stay cached.
        self.texts.put(text, of: chapter, revision: number)
        effects.cachedRevisions.append(RevisionTextCache.Key(chapter: chapter, revision: number))
    }

    /// The text of a chapter's revision, nil when there is no such revision.
    func revisionText(_ number: Int, of chapter: String, _ db: Database) throws -> String? {
        if let text = self.texts.text(of: chapter, revision: number) { return text }
        guard let chain = try Int.fetchOne(
            db, sql: "SELECT chain FROM revision WHERE chapterId = ? AND number = ?", arguments: [chapter, number])
        else { return nil }
        let rows = try Row.fetchCursor(
            db, sql: "SELECT number, text, delta FROM revision WHERE chapterId = ? AND number BETWEEN ? AND ? ORDER BY number",
            arguments: [chapter, number - chain, number])
        var bytes: [UInt8]?
        var expected = number - chain
        while let row = try rows.next() {
            defer { expected += 1 }
            if row["number"] != expected {
                bytes = nil
            } else if let text = row["text"] as String? {
                bytes = Array(text.utf8)
            } else if let base = bytes, let delta = row["delta"] as Data? {
                bytes = try? TextDelta.apply(Array(delta), to: base)
            } else {
                bytes = nil
            }
            guard bytes != nil else { break }
        }
        guard let bytes, expected == number + 1 else { throw StoreError.damaged("revision \(number) of chapter \(chapter) cannot be rebuilt from its stored deltas") }
        let text = String(decoding: bytes, as: UTF8.self)
        self.texts.put(text, of: chapter, revision: number)
        return text
    }
}
