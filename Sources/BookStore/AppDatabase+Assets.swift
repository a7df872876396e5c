import Foundation
import GRDB

extension AppDatabase {
    public func assets(of book: String, user: User) async throws -> [AssetInfo] {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            return try Row.fetchAll(
                db, sql: "SELECT name, contentType, length(data) AS size, updatedAt FROM asset WHERE bookId = ? ORDER BY name",
                arguments: [book]
            ).map { AssetInfo(name: $0["name"], contentType: $0["contentType"], size: $0["size"], updatedAt: $0["updatedAt"]) }
        }
    }

    public func asset(_ name: String, of book: String, user: User) async throws -> (info: AssetInfo, data: Data) {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            guard let row = try Row.fetchOne(
                db, sql: "SELECT contentType, data, updatedAt FROM asset WHERE bookId = ? AND name = ?", arguments: [book, name])
            else { throw StoreError.notFound("no asset \(name)") }
            let data: Data = row["data"]
            return (AssetInfo(name: name, contentType: row["contentType"], size: data.count, updatedAt: row["updatedAt"]), data)
        }
    }

    /// Stores an asset (authors and up); name and type are checked by the caller.
    public func putAsset(_ name: String, contentType: String, data: Data, of book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> AssetInfo {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(.author, of: user, in: book, db)
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO asset (bookId, name, contentType, data, updatedAt) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO UPDATE SET contentType = excluded.contentType, data = excluded.data, updatedAt = excluded.updatedAt
                    """,
                arguments: [book, name, contentType, data, now])
            _ = try Self.appendChange(Change(seq: 0, type: "asset.changed", author: user.name, asset: name), book: book, db, effects: &effects)
            return AssetInfo(name: name, contentType: contentType, size: data.count, updatedAt: now)
        }
    }

    public func deleteAsset(_ name: String, of book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> Bool {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(.author, of: user, in: book, db)
            try db.execute(sql: "DELETE FROM asset WHERE bookId = ? AND name = ?", arguments: [book, name])
            guard db.changesCount == 1 else { throw StoreError.notFound("no asset \(name)") }
            _ = try Self.appendChange(Change(seq: 0, type: "asset.changed", author: user.name, asset: name), book: book, db, effects: &effects)
            return true
        }
    }
}
