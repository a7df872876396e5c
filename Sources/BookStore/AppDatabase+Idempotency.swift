import Foundation
import GRDB

extension AppDatabase {
    /// Keys are kept this long (the protocol asks for at least 24 hours).
    static let idempotencyLifetime: TimeInterval = 48 * 3600

    /// Runs `work` in one transaction together with the record of its result under `key`:
    /// the same key and fingerprint returns the recorded result without running anything,
    /// the same key with another fingerprint throws `idempotencyKeyReused`. Failures are not
    /// recorded (they change nothing, so a retry meets the same checks). A replay checks
    /// again the roles the write checked (`AccessLog`): the caller must still have them.
    func idempotentWrite<T: Codable & Sendable>(
        _ key: IdempotencyKey?, user: User,
        _ work: @escaping @Sendable (Database, inout WriteEffects) throws -> T
    ) async throws -> T {
        try await self.write { db, effects in
            guard let key else { return try work(db, &effects) }
            if let row = try Row.fetchOne(
                db, sql: "SELECT fingerprint, result, createdAt, access FROM idempotency WHERE userId = ? AND key = ?",
                arguments: [user.id, key.key]),
                (row["createdAt"] as Date).timeIntervalSinceNow > -Self.idempotencyLifetime
            {
                guard row["fingerprint"] == key.fingerprint else { throw StoreError.idempotencyKeyReused }
                if let access = row["access"] as String? {
                    for (book, role) in try Self.decode([String: Role].self, access) {
                        try Self.require(role, of: user, in: book, db)
                    }
                }
                return try JSONDecoder.store.decode(T.self, from: row["result"] as Data)
            }
            let (value, access) = try AccessLog.record(db) { try work(db, &effects) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO idempotency (userId, key, fingerprint, result, createdAt, access) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [user.id, key.key, key.fingerprint, try JSONEncoder.store.encode(value), Date(), try Self.json(access)])
            return value
        }
    }

    /// Drops expired idempotency records and bearer tokens; called at start-up.
    public func pruneExpired() async throws {
        try await self.write { db, _ in
            try db.execute(
                sql: "DELETE FROM idempotency WHERE createdAt < ?",
                arguments: [Date().addingTimeInterval(-Self.idempotencyLifetime)])
            try db.execute(sql: "DELETE FROM token WHERE createdAt <= \(Self.tokenCutoff)")
        }
    }
}

extension JSONEncoder {
    /// One shared encoder (encoding does not change it): every save encodes its change-log entry.
    static let store: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = .sortedKeys
        return e
    }()
}

extension JSONDecoder {
    static let store: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}
