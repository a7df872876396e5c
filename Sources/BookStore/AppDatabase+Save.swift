import Foundation
import GRDB
import TextMerge

/// What a save did: the protocol's 201 (clean or merged), 200 (no-op) or 409 (conflict).
public enum SaveOutcome: Codable, Sendable, Equatable {
    case created(revision: Int, merged: Bool, text: String, seq: Int)
    case unchanged(revision: Int, text: String)
    case conflict(SaveConflict)
}

extension SaveOutcome {
    /// The text a 201 or 200 answer carries (nil for a conflict).
    public var text: String? {
        switch self {
        case .created(_, _, let text, _), .unchanged(_, let text): text
        case .conflict: nil
        }
    }
}

/// A save that could not be merged: its text is stored as conflict record `conflict`.
public struct SaveConflict: Codable, Sendable, Equatable {
    /// One conflicting hunk, with 1-based line numbers into base, head ("ours") and the
    /// submitted text ("theirs").
    public typealias Hunk = MergeConflict

    public var base: Int
    public var head: Int
    public var conflict: String
    public var hunks: [Hunk]
    /// The merge with git-style markers, head's side first (`<<<<<<< rN`), the save's side
    /// last (`>>>>>>> yours`).
    public var textWithMarkers: String
    public var seq: Int
}

/// A save request.
public struct Save: Codable, Sendable {
    public var base: Int?
    public var text: String
    public var message: String?
    public var resolves: [String]?

    public init(base: Int?, text: String, message: String? = nil, resolves: [String]? = nil) {
        self.base = base
        self.text = text
        self.message = message
        self.resolves = resolves
    }
}

/// A three-way merge computed outside the write transaction against one head; the commit
/// uses it only if the head is still that one.
struct PreparedMerge: Sendable {
    var head: Int
    var base: Int
    var outcome: MergeOutcome
}

/// What a merge gave, as much of it as a save needs: a clean merge keeps only its text (a
/// `MergeResult` holds its three inputs and their line tables, several times the text, and
/// a stale save may wait with its merge for a while); a conflict keeps the whole result,
/// for the conflict record.
enum MergeOutcome: Sendable {
    case clean(String)
    case conflict(MergeResult)

    init(_ result: MergeResult) {
        if let text = result.mergedText { self = .clean(text) } else { self = .conflict(result) }
    }
}

/// Thrown inside a save's transaction (so it rolls back) when the save needs a merge that
/// was not prepared against this head (the first try, or the head moved since): carries
/// what the merge needs, which then runs outside the transaction.
struct StaleMerge: Error {
    var head: Int
    var base: Int
    var headText: String
    var baseText: String

    func merged(with theirs: String) throws -> PreparedMerge {
        PreparedMerge(head: self.head, base: self.base, outcome: MergeOutcome(try AppDatabase.merge(base: self.baseText, ours: self.headText, theirs: theirs)))
    }
}

extension AppDatabase {
    /// The save path: one write transaction checks the save against the head, writes the
    /// revision (as a delta against the head), moves the head, appends to the change log,
    /// closes the conflicts it resolves and records the idempotency key; or stores a
    /// conflict record when the merge is not clean. A stale save is merged into the head
    /// with TextMerge's word-refined three-way merge *outside* the transaction (the writer
    /// is one; merges run beside it): the transaction that finds the save stale rolls back
    /// with the texts the merge needs, and the next one commits the merge if the head is
    /// still the one merged against. After three tries the merge runs inside the
    /// transaction, so a busy chapter cannot starve a save.
    public func save(_ save: Save, chapter: String, in book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> SaveOutcome {
        var prepared: PreparedMerge?
        for attempt in 0... {
            do {
                return try await self.idempotentWrite(idempotency, user: user) { [prepared] db, effects in
                    try self.commitSave(save, prepared: prepared, mayDefer: attempt < 3, chapter: chapter, in: book, user: user, db, effects: &effects)
                }
            } catch let stale as StaleMerge {
                prepared = try await self.merges.run { try stale.merged(with: save.text) }
            }
        }
        fatalError("unreachable")
    }

    static func merge(base: String, ours: String, theirs: String) throws -> MergeResult {
        do {
            return try TextMerge.merge(base: base, ours: ours, theirs: theirs, options: MergeOptions(wordRefinement: true))
        } catch {
            throw StoreError.invalid("the text cannot be merged: it looks binary")
        }
    }

    func commitSave(
        _ save: Save, prepared: PreparedMerge?, mayDefer: Bool, chapter: String, in book: String, user: User,
        _ db: Database, effects: inout WriteEffects
    ) throws -> SaveOutcome {
        try Self.require(.author, of: user, in: book, db)
        let head = try Self.chapterRow(chapter, in: book, db).head
        guard let base = save.base else { throw StoreError.baseRequired }
        guard base >= 1, base <= head else { throw StoreError.unknownBase(base) }
        guard let headText = try self.revisionText(head, of: chapter, db) else { throw StoreError.damaged("chapter \(chapter) has no head revision") }

        var text = save.text
        var merged = false
        if base != head, !text.hasSameBytes(as: headText) {
            let outcome: MergeOutcome
            if let prepared, prepared.head == head, prepared.base == base {
                outcome = prepared.outcome
            } else {
                guard let baseText = try self.revisionText(base, of: chapter, db) else { throw StoreError.unknownBase(base) }
                let stale = StaleMerge(head: head, base: base, headText: headText, baseText: baseText)
                if mayDefer { throw stale }
                outcome = try stale.merged(with: save.text).outcome
            }
            switch outcome {
            case .conflict(let result):
                return .conflict(try Self.storeConflict(save, base: base, head: head, result: result, chapter: chapter, book: book, user: user, db, effects: &effects))
            case .clean(let clean):
                text = clean
                merged = true
            }
        }
        if text.hasSameBytes(as: headText) {
            try Self.closeConflicts(save.resolves ?? [], of: chapter, by: head, db)
            return .unchanged(revision: head, text: headText)
        }
        let number = head + 1
        try Self.closeConflicts(save.resolves ?? [], of: chapter, by: number, db)
        try self.insertRevision(
            chapter: chapter, number: number, parent: merged ? base : head, author: user.name,
            message: save.message, merged: merged, text: text, previous: headText, db, effects: &effects)
        try db.cachedStatement(sql: "UPDATE chapter SET head = ? WHERE id = ?").execute(arguments: [number, chapter])
        let seq = try Self.appendChange(
            Change(seq: 0, type: "chapter.revised", chapter: chapter, revision: number, author: user.name, merged: merged),
            book: book, db, effects: &effects)
        return .created(revision: number, merged: merged, text: text, seq: seq)
    }

    static func storeConflict(
        _ save: Save, base: Int, head: Int, result: MergeResult, chapter: String, book: String, user: User,
        _ db: Database, effects: inout WriteEffects
    ) throws -> SaveConflict {
        let id = RandomID.make(prefix: "k")
        try db.execute(
            sql: "INSERT INTO conflict (id, chapterId, base, head, text, author, createdAt, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
            arguments: [id, chapter, base, head, save.text, user.name, Date()])
        let seq = try Self.appendChange(
            Change(seq: 0, type: "chapter.conflict", chapter: chapter, revision: head, author: user.name, conflict: id),
            book: book, db, effects: &effects)
        let markers = String(decoding: result.render(style: .merge, ours: "r\(head)", theirs: "yours"), as: UTF8.self)
        return SaveConflict(base: base, head: head, conflict: id, hunks: result.conflicts, textWithMarkers: markers, seq: seq)
    }

    /// Marks the conflicts a save resolves; ids of other chapters are invalid, ones already
    /// closed stay as they are.
    static func closeConflicts(_ ids: [String], of chapter: String, by revision: Int, _ db: Database) throws {
        for id in ids {
            guard try String.fetchOne(db, sql: "SELECT chapterId FROM conflict WHERE id = ?", arguments: [id]) == chapter else {
                throw StoreError.invalid("resolves names \(id), which is not a conflict of this chapter")
            }
            try db.execute(
                sql: "UPDATE conflict SET state = 'resolved', closedBy = ? WHERE id = ? AND state = 'open'", arguments: [revision, id])
        }
    }

    // MARK: Conflicts

    public func conflict(_ id: String, of chapter: String, in book: String, user: User) async throws -> ConflictView {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            return try Self.conflictView(id, of: chapter, in: book, db)
        }
    }

    /// Dismisses a conflict; the record stays, marked dismissed.
    public func dismissConflict(_ id: String, of chapter: String, in book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> ConflictView {
        try await self.idempotentWrite(idempotency, user: user) { db, _ in
            try Self.require(.author, of: user, in: book, db)
            _ = try Self.conflictView(id, of: chapter, in: book, db)
            try db.execute(sql: "UPDATE conflict SET state = 'dismissed' WHERE id = ? AND state = 'open'", arguments: [id])
            return try Self.conflictView(id, of: chapter, in: book, db)
        }
    }

    static func conflictView(_ id: String, of chapter: String, in book: String, _ db: Database) throws -> ConflictView {
        guard let row = try Row.fetchOne(
            db, sql: """
                SELECT conflict.* FROM conflict JOIN chapter ON chapter.id = conflict.chapterId
                WHERE conflict.id = ? AND chapterId = ? AND bookId = ?
                """,
            arguments: [id, chapter, book])
        else { throw StoreError.notFound("no conflict \(id)") }
        return ConflictView(
            id: id, chapter: chapter, base: row["base"], head: row["head"], text: row["text"], author: row["author"],
            createdAt: row["createdAt"], state: ConflictView.State(rawValue: row["state"])!)
    }
}
