import BookModel
import Foundation
import GRDB

extension AppDatabase {
    /// Imports a book read from disk (a book folder or an mdBook tree) with `owner` as its
    /// facilitator: metadata, the tree of parts and chapters, each chapter's text as
    /// revision 1, and its images as assets. Returns the new book's id.
    public func importBook(_ loaded: LoadedBook, owner: User) async throws -> String {
        let manuscript = loaded.manuscript
        // Read everything first, so the transaction holds no file I/O.
        var texts: [String: String] = [:]
        for chapter in manuscript.chaptersInOrder {
            texts[chapter.path] = try manuscript.source.text(ofChapterAt: chapter.path)
        }
        var images: [(name: String, type: ImageFormat, data: Data)] = []
        for path in loaded.images {
            let name = String(path.split(separator: "/").last ?? "")
            guard AssetName.isValid(name), var data = try manuscript.source.data(at: path), let type = ImageFormat(sniffing: data),
                !images.contains(where: { $0.name == name })
            else { continue }
            // A folder's source hands SVGs over cleaned already; any other source is cleaned
            // here, so no way into the store skips it (the loader reported what was dropped).
            if type == .svg {
                guard let cleaned = try? SVGCleaner.clean(data) else { continue }
                data = cleaned.data
            }
            images.append((name, type, data))
        }
        var taken = Set<String>()
        let files = Dictionary(manuscript.chaptersInOrder.map { ($0.path, ChapterFileName.unique(ChapterFileName.imported(path: $0.path), taken: &taken)) }) { first, _ in first }
        let metadata = manuscript.metadata
        let frozenTexts = texts
        let frozenImages = images
        return try await self.write { db, effects in
            let workflow = WorkflowStatus.defaults
            let id = try Self.insertBook(metadata, workflow: workflow, facilitator: owner, db)
            func nodes(_ tree: [ManuscriptNode]) throws -> [TOCNode] {
                try tree.map { node in
                    switch node {
                    case .part(let title, let children):
                        return .part(id: RandomID.make(prefix: "p"), title: title, children: try nodes(children))
                    case .chapter(let chapter):
                        let chapterID = RandomID.make(prefix: "c")
                        let status = chapter.status.flatMap { workflow.contains($0) ? $0 : nil } ?? workflow[0]
                        try db.execute(
                            sql: "INSERT INTO chapter (id, bookId, title, status, head, createdAt, file, target) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
                            arguments: [chapterID, id, chapter.title, status, Date(), files[chapter.path], try Self.checkedTarget(chapter.target)])
                        try self.insertRevision(
                            chapter: chapterID, number: 1, parent: nil, author: owner.name, message: "imported from \(chapter.path)",
                            merged: false, text: frozenTexts[chapter.path] ?? "", previous: nil, db, effects: &effects)
                        return .chapter(id: RandomID.make(prefix: "n"), title: chapter.title, chapter: chapterID)
                    }
                }
            }
            try Self.saveTOC(TableOfContents(version: 1, nodes: try nodes(manuscript.contents)), of: id, db)
            for image in frozenImages {
                try db.execute(
                    sql: "INSERT INTO asset (bookId, name, contentType, data, updatedAt) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, image.name, image.type.mediaType, image.data, Date()])
            }
            _ = try Self.appendChange(Change(seq: 0, type: "book.updated", author: owner.name), book: id, db, effects: &effects)
            return id
        }
    }

    /// Every book, for administration from the command line.
    public func allBooks() async throws -> [BookSummary] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT id, metadata, seq FROM book ORDER BY createdAt, id").map { row in
                BookSummary(id: row["id"], title: try Self.decode(BookMetadata.self, row["metadata"]).title, role: .facilitator, seq: row["seq"])
            }
        }
    }
}
