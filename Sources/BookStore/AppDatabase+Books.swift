import BookModel
import Foundation
import GRDB

extension AppDatabase {
    /// The fields a book is created or patched with; nil leaves a field as it is.
    public struct BookFields: Codable, Sendable {
        public var title: String?
        public var subtitle: String?
        public var language: String?
        public var license: String?
        public var description: String?
        public var authors: [String]?
        public var workflow: [String]?
        /// `images/NAME` of one of the book's assets; empty for none.
        public var cover: String?
        /// With `workflow`: states renamed, old name to new; their chapters follow (`moveChapters`).
        public var renames: [String: String]? = nil

        public init(
            title: String? = nil, subtitle: String? = nil, language: String? = nil, license: String? = nil,
            description: String? = nil, authors: [String]? = nil, workflow: [String]? = nil, cover: String? = nil
        ) {
            self.title = title
            self.subtitle = subtitle
            self.language = language
            self.license = license
            self.description = description
            self.authors = authors
            self.workflow = workflow
            self.cover = cover
        }

        func apply(to metadata: inout BookMetadata, workflow: inout [String]) throws {
            if let title { metadata.title = try Self.nonEmpty(title, "title") }
            if let subtitle { metadata.subtitle = subtitle.isEmpty ? nil : subtitle }
            if let language { metadata.language = try Self.nonEmpty(language, "language") }
            if let license { metadata.license = license.isEmpty ? nil : license }
            if let description { metadata.description = description.isEmpty ? nil : description }
            if let authors { metadata.authors = authors }
            if let cover {
                guard cover.isEmpty || (cover.hasPrefix("images/") && AssetName.isValid(String(cover.dropFirst(7)))) else {
                    throw StoreError.invalid("a cover is images/NAME, NAME one of the book's images")
                }
                metadata.cover = cover.isEmpty ? nil : cover
            }
            if let new = self.workflow {
                // Distinct as JSON Schema's uniqueItems has it: scalar by scalar (a Swift Set
                // would take "é" and "e\u{301}" for one).
                guard !new.isEmpty, Set(new.map { Array($0.unicodeScalars) }).count == new.count, new.allSatisfy({ !$0.isEmpty }) else {
                    throw StoreError.invalid("workflow is a non-empty list of distinct, non-empty states")
                }
                workflow = new
            }
        }

        /// 1 to 500 characters, not all white space; stored trimmed. Counted as JSON Schema
        /// counts (Unicode scalars, before trimming) and white space as the OpenAPI document's
        /// pattern lists it (Unicode's White_Space), so that the document is exact.
        static func nonEmpty(_ value: String, _ field: String) throws -> String {
            let scalars = value.unicodeScalars
            guard scalars.count <= 500, let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
                let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
            else { throw StoreError.invalid("\(field) must be 1 to 500 characters, not all white space") }
            return String(scalars[first...last])
        }
    }

    /// Creates a book whose facilitator is `user`.
    public func createBook(_ fields: BookFields, user: User, idempotency: IdempotencyKey? = nil) async throws -> BookView {
        guard let title = fields.title else { throw StoreError.invalid("a book needs a title") }
        return try await self.idempotentWrite(idempotency, user: user) { db, effects in
            var metadata = BookMetadata(title: try BookFields.nonEmpty(title, "title"), identifier: "urn:uuid:\(UUID().uuidString.lowercased())")
            var workflow = WorkflowStatus.defaults
            try fields.apply(to: &metadata, workflow: &workflow)
            let id = try Self.insertBook(metadata, workflow: workflow, facilitator: user, db)
            return try self.bookView(id, user: user, db)
        }
    }

    /// A new book with an empty table of contents and `facilitator` as its facilitator.
    static func insertBook(_ metadata: BookMetadata, workflow: [String], facilitator: User, _ db: Database) throws -> String {
        let id = RandomID.make(prefix: "b")
        try db.execute(
            sql: "INSERT INTO book (id, metadata, workflow, toc, tocVersion, createdAt) VALUES (?, ?, ?, '[]', 1, ?)",
            arguments: [id, try Self.json(metadata), try Self.json(workflow), Date()])
        try db.execute(sql: "INSERT INTO member (bookId, userId, role) VALUES (?, ?, 'facilitator')", arguments: [id, facilitator.id])
        return id
    }

    public func books(for user: User) async throws -> [BookSummary] {
        try await self.read { db in
            // Administrators too: the books they have a role on (every book: `everyBook`).
            let sql = "SELECT id, metadata, seq, role FROM book JOIN member ON member.bookId = book.id WHERE userId = ? ORDER BY createdAt, id"
            return try Row.fetchAll(db, sql: sql, arguments: [user.id]).map { row in
                let metadata = try Self.decode(BookMetadata.self, row["metadata"])
                return BookSummary(id: row["id"], title: metadata.title, role: Role(rawValue: row["role"])!, seq: row["seq"])
            }
        }
    }

    public func book(_ id: String, user: User) async throws -> BookView {
        try await self.read { db in try self.bookView(id, user: user, db) }
    }

    public func updateBook(_ id: String, _ fields: BookFields, user: User, idempotency: IdempotencyKey? = nil) async throws -> BookView {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(.facilitator, of: user, in: id, db)
            var (metadata, workflow) = try Self.metadata(of: id, db)
            let states = workflow
            try fields.apply(to: &metadata, workflow: &workflow)
            try Self.moveChapters(from: states, to: workflow, renames: fields.renames, in: id, db)
            try db.execute(
                sql: "UPDATE book SET metadata = ?, workflow = ? WHERE id = ?",
                arguments: [try Self.json(metadata), try Self.json(workflow), id])
            _ = try Self.appendChange(Change(seq: 0, type: "book.updated"), book: id, db, effects: &effects)
            return try self.bookView(id, user: user, db)
        }
    }

    // MARK: Members

    /// The book's members: for its facilitators, and for administrators.
    public func members(of book: String, user: User) async throws -> [Member] {
        try await self.read { db in
            try Self.requireMemberManager(user, of: book, db)
            return try Self.members(of: book, db)
        }
    }

    static func members(of book: String, _ db: Database) throws -> [Member] {
        try Row.fetchAll(
            db, sql: "SELECT name, role FROM member JOIN user ON user.id = member.userId WHERE bookId = ? ORDER BY name",
            arguments: [book]
        ).map { Member(username: $0["name"], role: Role(rawValue: $0["role"])!) }
    }

    public func member(_ username: String, of book: String, user: User) async throws -> Member {
        guard let member = try await self.members(of: book, user: user).first(where: { $0.username.lowercased() == username.lowercased() }) else {
            throw StoreError.notFound("\(username) is not a member of this book")
        }
        return member
    }

    /// Adds a member or changes a member's role. A facilitator adds by name only people who
    /// already share a book with them (strangers come in through invites); administrators
    /// add anyone. Any other name gets the same `notFound` whether or not the account
    /// exists, so that the call does not tell which accounts there are.
    public func setMember(_ username: String, role: Role, of book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> Member {
        try await self.idempotentWrite(idempotency, user: user) { db, _ in
            try Self.requireMemberManager(user, of: book, db)
            let known = user.isAdmin
                ? "SELECT id, name FROM user WHERE name = ?"
                : """
                    SELECT id, name FROM user WHERE name = ? AND id IN (
                        SELECT other.userId FROM member AS mine JOIN member AS other ON other.bookId = mine.bookId
                        WHERE mine.userId = ?)
                    """
            guard let row = try Row.fetchOne(db, sql: known, arguments: user.isAdmin ? [username] : [username, user.id]) else {
                throw StoreError.notFound("no one named \(username) you can add by name; invite them instead")
            }
            let (userID, name): (Int64, String) = (row["id"], row["name"])
            try db.execute(
                sql: "INSERT INTO member (bookId, userId, role) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role",
                arguments: [book, userID, role.rawValue])
            try Self.keepAFacilitator(book, db)
            return Member(username: name, role: role)
        }
    }

    public func removeMember(_ username: String, of book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> Bool {
        try await self.idempotentWrite(idempotency, user: user) { db, _ in
            try Self.requireMemberManager(user, of: book, db)
            try db.execute(
                sql: "DELETE FROM member WHERE bookId = ? AND userId = (SELECT id FROM user WHERE name = ?)",
                arguments: [book, username])
            guard db.changesCount == 1 else { throw StoreError.notFound("\(username) is not a member of this book") }
            try Self.keepAFacilitator(book, db)
            return true
        }
    }

    /// A book without a facilitator could never be managed again (short of an admin).
    static func keepAFacilitator(_ book: String, _ db: Database) throws {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM member WHERE bookId = ? AND role = 'facilitator'", arguments: [book]) ?? 0
        if count == 0 { throw StoreError.stateConflict("a book keeps at least one facilitator") }
    }

    // MARK: Helpers

    static func metadata(of book: String, _ db: Database) throws -> (BookMetadata, [String]) {
        guard let row = try Row.fetchOne(db, sql: "SELECT metadata, workflow FROM book WHERE id = ?", arguments: [book]) else {
            throw StoreError.notFound("no book \(book)")
        }
        return (try Self.decode(BookMetadata.self, row["metadata"]), try Self.decode([String].self, row["workflow"]))
    }

    static func toc(of book: String, _ db: Database) throws -> TableOfContents {
        guard let row = try Row.fetchOne(db, sql: "SELECT toc, tocVersion FROM book WHERE id = ?", arguments: [book]) else {
            throw StoreError.notFound("no book \(book)")
        }
        return TableOfContents(version: row["tocVersion"], nodes: try Self.decode([TOCNode].self, row["toc"]))
    }

    /// What a book's own row holds, read at once (for the calls that need all of it).
    struct BookRow {
        var metadata: BookMetadata
        var workflow: [String]
        var toc: TableOfContents
        var seq: Int
    }

    static func bookRow(_ book: String, _ db: Database) throws -> BookRow {
        guard let row = try Row.fetchOne(db, sql: "SELECT metadata, workflow, toc, tocVersion, seq FROM book WHERE id = ?", arguments: [book])
        else { throw StoreError.notFound("no book \(book)") }
        return BookRow(
            metadata: try Self.decode(BookMetadata.self, row["metadata"]), workflow: try Self.decode([String].self, row["workflow"]),
            toc: TableOfContents(version: row["tocVersion"], nodes: try Self.decode([TOCNode].self, row["toc"])), seq: row["seq"])
    }

    static func saveTOC(_ toc: TableOfContents, of book: String, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE book SET toc = ?, tocVersion = ? WHERE id = ?", arguments: [try Self.json(toc.nodes), toc.version, book])
    }

    /// Saves a changed table of contents and tells the book's followers (`toc.changed`).
    static func commitTOC(_ toc: TableOfContents, of book: String, _ db: Database, effects: inout WriteEffects) throws {
        try Self.saveTOC(toc, of: book, db)
        _ = try Self.appendChange(Change(seq: 0, type: "toc.changed", version: toc.version), book: book, db, effects: &effects)
    }

    /// The book view; word counts come from `wordCounts` (a chapter is counted once per
    /// head revision), open conflicts from one grouped query.
    func bookView(_ id: String, user: User, _ db: Database) throws -> BookView {
        let role = try Self.role(of: user, in: id, db)
        let book = try Self.bookRow(id, db)
        let metadata = book.metadata
        let conflicts = try Dictionary(uniqueKeysWithValues: Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT chapterId, COUNT(*) AS n FROM conflict JOIN chapter ON chapter.id = conflict.chapterId
                WHERE bookId = ? AND state = 'open' GROUP BY chapterId
                """),
            arguments: [id]
        ).map { ($0["chapterId"] as String, $0["n"] as Int) })
        var chapters: [String: BookView.ChapterSummary] = [:]
        var total = 0
        for row in try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT id, title, status, head, file, target, revision.createdAt, revision.author FROM chapter
                JOIN revision ON revision.chapterId = chapter.id AND revision.number = chapter.head
                WHERE bookId = ? AND NOT deleted
                """),
            arguments: [id]
        ) {
            let chapter: String = row["id"]
            let title: String = row["title"]
            let head: Int = row["head"]
            let (status, file, target): (String, String?, Int?) = (row["status"], row["file"], row["target"])
            let (modified, modifiedBy): (Date, String) = (row["createdAt"], row["author"])
            let words = try self.wordCounts.words(of: chapter, revision: head) { try self.revisionText(head, of: chapter, db) }
            total += words
            chapters[chapter] = .init(
                revision: head, status: status, title: title, file: file ?? ChapterFileName.slug(title),
                words: words, conflicts: conflicts[chapter] ?? 0, target: target, modified: modified, modifiedBy: modifiedBy)
        }
        return BookView(
            id: id, title: metadata.title, subtitle: metadata.subtitle, language: metadata.language,
            license: metadata.license, description: metadata.description, cover: metadata.cover, authors: metadata.authors,
            identifier: metadata.identifier, workflow: book.workflow, seq: book.seq, role: role,
            toc: book.toc, chapters: chapters, words: total)
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.store.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder.store.decode(type, from: Data(text.utf8))
    }
}

extension AppDatabase {
    /// What a preview of a chapter of `book` needs: its chapters (for links between them)
    /// and the names of its assets (for images). Readers and up.
    public struct PreviewSources: Sendable {
        public var chapters: [(id: String, file: String, title: String)]
        public var assets: Set<String>
    }

    public func previewSources(of book: String, user: User) async throws -> PreviewSources {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            let chapters = try Row.fetchAll(
                db, sql: "SELECT id, title, file FROM chapter WHERE bookId = ? AND NOT deleted ORDER BY id", arguments: [book]
            ).map { row -> (id: String, file: String, title: String) in
                let title: String = row["title"]
                return (row["id"], row["file"] ?? ChapterFileName.slug(title), title)
            }
            let assets = try String.fetchSet(db, sql: "SELECT name FROM asset WHERE bookId = ?", arguments: [book])
            return PreviewSources(chapters: chapters, assets: assets)
        }
    }
}
