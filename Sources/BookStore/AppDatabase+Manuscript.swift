import BookModel
import Foundation
import GRDB

/// A book of the store read for export: the book, and which state of it that is.
public struct StoredBook: Sendable {
    public var book: LoadedBook
    /// The book's change-log position when it was read; names this state of the book.
    public var seq: Int
    /// When the book last changed (its last change-log entry, else its creation): the
    /// export's modification date, so the same state of a book exports to the same bytes.
    public var modified: Date
    /// Chapter ids by the paths the manuscript gives them (`chapters/<name>.md`).
    public var chapterIDs: [String: String] = [:]
}

extension AppDatabase {
    /// A book of the store as the exporter and `BookFolder.write` read it (readers and up):
    /// metadata, the table of contents as parts and chapters at `chapters/<name>.md`,
    /// statuses (but the workflow's first, which is every chapter's default), head texts read lazily (as of now), assets as `images/NAME`, and the
    /// contributors by revision count, most first. `problems` is empty: the store's
    /// invariants hold what a folder's reader would have to check.
    public func loadBook(_ book: String, user: User) async throws -> StoredBook {
        return try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            let stored = try Self.bookRow(book, db)
            var metadata = stored.metadata
            let (workflow, toc, seq) = (stored.workflow, stored.toc, stored.seq)

            var chapters: [String: Row] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, title, status, head, file, target FROM chapter WHERE bookId = ? AND NOT deleted", arguments: [book])
            {
                chapters[row["id"]] = row
            }
            var taken = Set<String>()
            var heads: [String: (chapter: String, revision: Int)] = [:]
            func nodes(_ tree: [TOCNode]) -> [ManuscriptNode] {
                tree.compactMap { node in
                    switch node.kind {
                    case .part:
                        return .part(title: node.title, children: nodes(node.children))
                    case .chapter:
                        guard let id = node.chapter, let row = chapters[id] else { return nil }
                        let title: String = row["title"]
                        let file = ChapterFileName.unique(row["file"] ?? ChapterFileName.slug(title), taken: &taken)
                        let path = "chapters/\(file).md"
                        heads[path] = (id, row["head"])
                        // The first state is where every chapter starts (and what a chapter
                        // without `status:` imports as): left unsaid, so a round trip keeps it.
                        let status: String = row["status"]
                        return .chapter(ManuscriptChapter(
                            path: path, title: title, status: status == workflow.first ? nil : status, target: row["target"]))
                    }
                }
            }
            let contents = nodes(toc.nodes)

            let images = try String.fetchAll(db, sql: "SELECT name FROM asset WHERE bookId = ? ORDER BY name", arguments: [book])
                .map { "images/\($0)" }
            // Imported covers keep the path they had in their folder; the asset has its name.
            if let cover = metadata.cover, let name = cover.split(separator: "/").last.map({ "images/\($0)" }), images.contains(name) {
                metadata.cover = name
            }
            let contributors = try String.fetchAll(
                db, sql: """
                    SELECT author FROM revision JOIN chapter ON chapter.id = revision.chapterId
                    WHERE chapter.bookId = ? AND NOT chapter.deleted
                    GROUP BY author ORDER BY COUNT(*) DESC, author
                    """,
                arguments: [book])
            let source = StoreSource(store: self, book: book, heads: heads)
            let manuscript = Manuscript(metadata: metadata, contents: contents, contributors: contributors, source: source)
            let modified = try Date.fetchOne(
                db, sql: "SELECT createdAt FROM change WHERE bookId = ? AND seq = ?", arguments: [book, seq])
                ?? Date.fetchOne(db, sql: "SELECT createdAt FROM book WHERE id = ?", arguments: [book]) ?? Date()
            return StoredBook(
                book: LoadedBook(manuscript: manuscript, problems: [], images: images), seq: seq, modified: modified,
                chapterIDs: heads.mapValues(\.chapter))
        }
    }
}
