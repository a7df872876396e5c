import Foundation
import GRDB

extension AppDatabase {
    /// Appends to a book's change log inside the caller's transaction; returns the new seq.
    static func appendChange(_ change: Change, book: String, _ db: Database, effects: inout WriteEffects) throws -> Int {
        guard let seq = try Int.fetchOne(db.cachedStatement(sql: "UPDATE book SET seq = seq + 1 WHERE id = ? RETURNING seq"), arguments: [book]) else {
            throw StoreError.notFound("no book \(book)")
        }
        var details = change
        details.seq = seq
        details.createdAt = nil
        try db.cachedStatement(sql: "INSERT INTO change (bookId, seq, type, details, createdAt) VALUES (?, ?, ?, ?, \(Self.now))").execute(
            arguments: [book, seq, change.type, String(decoding: try JSONEncoder.store.encode(details), as: UTF8.self)])
        effects.books.insert(book)
        return seq
    }

    /// Changes after `since`, oldest first, at most `limit`. A `since` beyond the book's
    /// last seq means the client followed another store (or one restored from backup):
    /// `historyReset`, so it reloads instead of silently missing changes.
    public func changes(book: String, since: Int, limit: Int, user: User) async throws -> ChangePage {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            let last = try Int.fetchOne(db, sql: "SELECT seq FROM book WHERE id = ?", arguments: [book]) ?? 0
            if since > last || since < 0 { throw StoreError.historyReset(last: last) }
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, details, createdAt FROM change WHERE bookId = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [book, since, limit + 1])
            let changes = try rows.prefix(limit).map { row in
                var change = try JSONDecoder.store.decode(Change.self, from: Data((row["details"] as String).utf8))
                change.createdAt = row["createdAt"]
                return change
            }
            return ChangePage(changes: changes, last: changes.last?.seq ?? since, more: rows.count > limit)
        }
    }

    /// Like `changes`, but when there are none waits up to `wait` for the next commit.
    public func changes(book: String, since: Int, limit: Int, user: User, wait: Duration) async throws -> ChangePage {
        let deadline = ContinuousClock.now + wait
        while true {
            let generation = self.changes.generation(book: book)
            let page = try await self.changes(book: book, since: since, limit: limit, user: user)
            let left = deadline - ContinuousClock.now
            if !page.changes.isEmpty || left <= .zero || Task.isCancelled { return page }
            await self.changes.wait(book: book, after: generation, timeout: left)
        }
    }
}
