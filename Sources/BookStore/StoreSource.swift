import BookModel
import Foundation
import GRDB

/// Chapter texts and images of a book in the store, read when the exporter asks for them.
/// Texts are the revisions that were the heads when the book was loaded (revisions never
/// change), so an export is one consistent snapshot even while co-authors keep saving.
struct StoreSource: ManuscriptSource {
    let reader: any DatabaseReader
    let book: String
    /// `chapters/<name>.md` -> (chapter id, head revision when loaded).
    let heads: [String: (chapter: String, revision: Int)]

    func text(ofChapterAt path: String) throws -> String {
        guard let head = self.heads[path] else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return try self.reader.read { db in
            guard let text = try String.fetchOne(
                db, sql: "SELECT text FROM revision WHERE chapterId = ? AND number = ?", arguments: [head.chapter, head.revision])
            else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
            return text
        }
    }

    /// The asset `NAME` for `images/NAME`; nil for anything else (chapter files included:
    /// their text has no title line to account for).
    func data(at path: String) throws -> Data? {
        guard let name = Self.assetName(path) else { return nil }
        return try self.reader.read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM asset WHERE bookId = ? AND name = ?", arguments: [self.book, name])
        }
    }

    /// `images/x.png` -> `x.png`; nil for paths outside `images/` or in subfolders of it.
    static func assetName(_ path: String) -> String? {
        guard let normal = BookPath.normalise(path.removingPercentEncoding ?? path) else { return nil }
        let parts = normal.split(separator: "/")
        guard parts.count == 2, parts[0] == "images" else { return nil }
        return String(parts[1])
    }
}
