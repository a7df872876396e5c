import BookModel
import Foundation
import GRDB

extension AppDatabase {
    public struct NewChapter: Codable, Sendable {
        public var title: String
        public var text: String?
        public var parent: String?
        public var after: String?

        public init(title: String, text: String? = nil, parent: String? = nil, after: String? = nil) {
            self.title = title
            self.text = text
            self.parent = parent
            self.after = after
        }
    }

    /// Creates a chapter with revision 1 and places it in the table of contents (at the end,
    /// or after `after` under `parent`).
    public func createChapter(_ new: NewChapter, in book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> ChapterView {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(.author, of: user, in: book, db)
            let title = try BookFields.nonEmpty(new.title, "title")
            let (_, workflow) = try Self.metadata(of: book, db)
            let id = RandomID.make(prefix: "c")
            let text = new.text ?? ""
            try db.execute(
                sql: "INSERT INTO chapter (id, bookId, title, status, head, createdAt, file) VALUES (?, ?, ?, ?, 1, ?, ?)",
                arguments: [id, book, title, workflow[0], Date(), try Self.freeFileName(for: title, in: book, db)])
            try self.insertRevision(chapter: id, number: 1, parent: nil, author: user.name, message: nil, merged: false, text: text, previous: nil, db, effects: &effects)
            _ = try Self.appendChange(
                Change(seq: 0, type: "chapter.created", chapter: id, revision: 1, author: user.name), book: book, db, effects: &effects)
            try Self.place(chapter: id, title: title, parent: new.parent, after: new.after, in: book, db, effects: &effects)
            return ChapterView(id: id, title: title, status: workflow[0], revision: 1, text: text, deleted: false, conflicts: [])
        }
    }

    public func chapter(_ id: String, in book: String, user: User) async throws -> ChapterView {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            return try self.chapterView(id, in: book, db)
        }
    }

    public struct ChapterPatch: Codable, Sendable {
        public var title: String?
        public var status: String?
        /// Absent: left as it is; `.some(nil)` (JSON `null`): no target; a number: the words aimed at.
        public var target: Int??

        public init(title: String? = nil, status: String? = nil, target: Int?? = nil) {
            self.title = title
            self.status = status
            self.target = target
        }

        enum CodingKeys: String, CodingKey { case title, status, target }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.title = try c.decodeIfPresent(String.self, forKey: .title)
            self.status = try c.decodeIfPresent(String.self, forKey: .status)
            // `null` and absent differ here: null clears the target.
            if c.contains(.target) {
                self.target = .some(try c.decodeNil(forKey: .target) ? nil : c.decode(Int.self, forKey: .target))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(self.title, forKey: .title)
            try c.encodeIfPresent(self.status, forKey: .status)
            if let target = self.target { try c.encode(target, forKey: .target) }
        }
    }

    /// Changes title, status and/or target (facilitators only); a new title also renames the
    /// chapter's TOC node.
    public func updateChapter(_ id: String, _ patch: ChapterPatch, in book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> ChapterView {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(patch.target == nil ? .author : .facilitator, of: user, in: book, db)
            _ = try Self.chapterRow(id, in: book, db)
            if let target = patch.target {
                try db.execute(sql: "UPDATE chapter SET target = ? WHERE id = ?", arguments: [try Self.checkedTarget(target), id])
            }
            if let status = patch.status {
                let (_, workflow) = try Self.metadata(of: book, db)
                guard workflow.contains(status) else {
                    throw StoreError.invalid("status must be one of: \(workflow.joined(separator: ", "))")
                }
                try db.execute(sql: "UPDATE chapter SET status = ? WHERE id = ?", arguments: [status, id])
            }
            if let title = patch.title {
                let title = try BookFields.nonEmpty(title, "title")
                try db.execute(sql: "UPDATE chapter SET title = ? WHERE id = ?", arguments: [title, id])
                var toc = try Self.toc(of: book, db)
                if let node = toc.nodeID(ofChapter: id), case .success(let renamed) = toc.applying([.rename(node: node, title: title)]) {
                    toc = renamed
                    try Self.commitTOC(toc, of: book, db, effects: &effects)
                }
            }
            _ = try Self.appendChange(Change(seq: 0, type: "chapter.updated", chapter: id, author: user.name), book: book, db, effects: &effects)
            return try self.chapterView(id, in: book, db)
        }
    }

    /// Takes a chapter out of the book (and its TOC); its revisions stay, and `restoreChapter`
    /// brings it back.
    public func deleteChapter(_ id: String, in book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> Bool {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(.facilitator, of: user, in: book, db)
            guard !(try Self.chapterRow(id, in: book, db).deleted) else { return true }
            try db.execute(sql: "UPDATE chapter SET deleted = 1 WHERE id = ?", arguments: [id])
            var toc = try Self.toc(of: book, db)
            if let node = toc.nodeID(ofChapter: id), case .success(let removed) = toc.applying([.remove(node: node)]) {
                toc = removed
                try Self.commitTOC(toc, of: book, db, effects: &effects)
            }
            _ = try Self.appendChange(Change(seq: 0, type: "chapter.deleted", chapter: id, author: user.name), book: book, db, effects: &effects)
            return true
        }
    }

    /// Brings a deleted chapter back, at the end of the table of contents.
    public func restoreChapter(_ id: String, in book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> ChapterView {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(.facilitator, of: user, in: book, db)
            let chapter = try Self.chapterRow(id, in: book, db)
            guard chapter.deleted else { return try self.chapterView(id, in: book, db) }
            try db.execute(sql: "UPDATE chapter SET deleted = 0 WHERE id = ?", arguments: [id])
            try Self.place(chapter: id, title: chapter.title, parent: nil, after: nil, in: book, db, effects: &effects)
            _ = try Self.appendChange(
                Change(seq: 0, type: "chapter.created", chapter: id, revision: chapter.head, author: user.name),
                book: book, db, effects: &effects)
            return try self.chapterView(id, in: book, db)
        }
    }

    /// The book's deleted chapters, most recently changed first, for restoring (facilitators:
    /// only they can restore).
    public func deletedChapters(in book: String, user: User) async throws -> [DeletedChapter] {
        try await self.read { db in
            try Self.require(.facilitator, of: user, in: book, db)
            return try Row.fetchAll(
                db, sql: """
                    SELECT id, title, status, head, revision.createdAt, revision.author FROM chapter
                    JOIN revision ON revision.chapterId = chapter.id AND revision.number = chapter.head
                    WHERE bookId = ? AND deleted ORDER BY revision.createdAt DESC, id
                    """,
                arguments: [book]
            ).map { row in
                DeletedChapter(
                    id: row["id"], title: row["title"], status: row["status"], revision: row["head"],
                    modified: row["createdAt"], modifiedBy: row["author"])
            }
        }
    }

    // MARK: Revisions

    /// Newest first, `limit` at most, older than `before` when given; `next` continues the listing.
    public func revisions(of chapter: String, in book: String, limit: Int, before: Int?, user: User) async throws -> (revisions: [RevisionView], next: Int?) {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            _ = try Self.chapterRow(chapter, in: book, db)
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT number, parent, author, createdAt, message, merged FROM revision
                    WHERE chapterId = ? AND number < ? ORDER BY number DESC LIMIT ?
                    """,
                arguments: [chapter, before ?? Int.max, limit + 1])
            let page = rows.prefix(limit).map(Self.revisionView)
            return (page, rows.count > limit ? page.last?.revision : nil)
        }
    }

    public func revision(_ number: Int, of chapter: String, in book: String, user: User) async throws -> RevisionView {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            _ = try Self.chapterRow(chapter, in: book, db)
            guard let rev = try self.revision(number, of: chapter, db) else { throw StoreError.notFound("no revision \(number)") }
            return rev
        }
    }

    /// The texts of two revisions of a chapter, for a diff: one read, so both come from the
    /// same snapshot, with one role check and one chapter check. An unknown revision is
    /// `notFound`, `from` checked first.
    public func revisionTexts(from: Int, to: Int, of chapter: String, in book: String, user: User) async throws -> (from: String, to: String) {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            _ = try Self.chapterRow(chapter, in: book, db)
            func text(_ number: Int) throws -> String {
                guard let text = try self.revisionText(number, of: chapter, db) else { throw StoreError.notFound("no revision \(number)") }
                return text
            }
            return (try text(from), try text(to))
        }
    }

    // MARK: Helpers

    /// A chapter's own row (no text): what most calls need to check that it exists.
    struct ChapterRow {
        var title: String
        var status: String
        var head: Int
        var deleted: Bool
        var target: Int?
    }

    static func chapterRow(_ id: String, in book: String, _ db: Database) throws -> ChapterRow {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT title, status, head, deleted, target FROM chapter WHERE id = ? AND bookId = ?"), arguments: [id, book])
        else { throw StoreError.notFound("no chapter \(id)") }
        return ChapterRow(title: row["title"], status: row["status"], head: row["head"], deleted: row["deleted"], target: row["target"])
    }

    func chapterView(_ id: String, in book: String, _ db: Database) throws -> ChapterView {
        let chapter = try Self.chapterRow(id, in: book, db)
        guard let text = try self.revisionText(chapter.head, of: id, db) else { throw StoreError.damaged("chapter \(id) has no head revision") }
        return ChapterView(
            id: id, title: chapter.title, status: chapter.status, revision: chapter.head, text: text,
            deleted: chapter.deleted, conflicts: try Self.openConflicts(of: id, db), target: chapter.target)
    }

    static func openConflicts(of chapter: String, _ db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT id FROM conflict WHERE chapterId = ? AND state = 'open' ORDER BY createdAt, id", arguments: [chapter])
    }

    func revision(_ number: Int, of chapter: String, _ db: Database) throws -> RevisionView? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT number, parent, author, createdAt, message, merged FROM revision WHERE chapterId = ? AND number = ?",
            arguments: [chapter, number])
        else { return nil }
        var view = Self.revisionView(row)
        view.text = try self.revisionText(number, of: chapter, db)
        return view
    }

    static func revisionView(_ row: Row) -> RevisionView {
        let number: Int = row["number"]
        let parent: Int? = row["parent"]
        let merged: Bool = row["merged"]
        // A merged revision has two parents: the head it was merged into and the save's base.
        var parents = parent.map { [$0] } ?? []
        if merged, number > 1, parent != number - 1 { parents.insert(number - 1, at: 0) }
        return RevisionView(
            revision: number, author: row["author"], createdAt: row["createdAt"], message: row["message"],
            merged: merged, parents: parents, text: nil)
    }

    /// Adds a chapter node to the TOC; a `parent` or `after` that does not fit is invalid input.
    static func place(chapter: String, title: String, parent: String?, after: String?, in book: String, _ db: Database, effects: inout WriteEffects) throws {
        let toc = try Self.toc(of: book, db)
        let node = TOCNode.chapter(id: RandomID.make(prefix: "n"), title: title, chapter: chapter)
        let placed: TableOfContents
        switch toc.adding(node, parent: parent, after: after) {
        case .success(let next): placed = next
        // An anchor that is not (or no longer) in the tree: 409, as for a TOC operation.
        case .failure(let failure): throw StoreError.stateConflict(failure.description)
        }
        try Self.commitTOC(placed, of: book, db, effects: &effects)
    }
}
