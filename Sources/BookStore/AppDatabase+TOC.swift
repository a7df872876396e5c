import BookModel
import GRDB

/// The answer to a batch of TOC operations.
public struct TOCUpdate: Codable, Sendable, Equatable {
    public var version: Int
    public var nodes: [TOCNode]
    /// True when the batch was applied to a newer tree than the client's `baseVersion`.
    public var rebased: Bool
    /// Ids the server chose for `addPart` operations, in order.
    public var added: [String]
}

extension AppDatabase {
    public func toc(of book: String, user: User) async throws -> TableOfContents {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            return try Self.toc(of: book, db)
        }
    }

    /// Applies operations in order, atomically, to the current tree (facilitators only).
    /// A rename of a chapter node renames the chapter too; a removed chapter node leaves the
    /// chapter in the book, outside the table of contents.
    public func applyTOC(_ operations: [TOCOperation], baseVersion: Int, to book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> TOCUpdate {
        try await self.idempotentWrite(idempotency, user: user) { db, effects in
            try Self.require(.facilitator, of: user, in: book, db)
            let toc = try Self.toc(of: book, db)
            var added: [String] = []
            let ops = try operations.map { op -> TOCOperation in
                switch op {
                // Every title in the tree, a part's or a chapter's, gets the check `PATCH` of a
                // chapter makes (trimmed, 1 to 500 characters, not all white space).
                case .addPart(_, let title, let parent, let after):
                    let id = RandomID.make(prefix: "p")
                    added.append(id)
                    return .addPart(id: id, title: try BookFields.nonEmpty(title, "title"), parent: parent, after: after)
                case .rename(let node, let title):
                    return .rename(node: node, title: try BookFields.nonEmpty(title, "title"))
                default:
                    return op
                }
            }
            let next: TableOfContents
            switch toc.applying(ops) {
            case .success(let applied): next = applied
            case .failure(let failure):
                throw StoreError.stateConflict("operation \(failure.index): \(failure.failure)", operationIndex: failure.index)
            }
            for case .rename(let node, let title) in ops {
                if let chapter = Self.chapterID(ofNode: node, in: next.nodes) {
                    try db.execute(sql: "UPDATE chapter SET title = ? WHERE id = ?", arguments: [title, chapter])
                }
            }
            try Self.commitTOC(next, of: book, db, effects: &effects)
            return TOCUpdate(version: next.version, nodes: next.nodes, rebased: baseVersion != toc.version, added: added)
        }
    }

    static func chapterID(ofNode id: String, in nodes: [TOCNode]) -> String? {
        for node in nodes {
            if node.id == id { return node.chapter }
            if let found = chapterID(ofNode: id, in: node.children) { return found }
        }
        return nil
    }
}
