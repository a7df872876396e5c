import BookModel
import Foundation
import GRDB

/// Chapter texts and images of a book in the store, read when the exporter asks for them.
/// Texts are the revisions that were the heads when the book was loaded (revisions never
/// change), so an export is one consistent snapshot even while co-authors keep saving.
struct StoreSource: ManuscriptSource {
    let store: AppDatabase
    let book: String
    /// `chapters/<name>.md` -> (chapter id, head revision when loaded).
    let heads: [String: (chapter: String, revision: Int)]

    func text(ofChapterAt path: String) throws -> String {
        guard let head = self.heads[path] else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return try self.store.writer.read { db in
            guard let text = try self.store.revisionText(head.revision, of: head.chapter, db) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            return text
        }
    }

    /// The asset named by the path's last part: `images/NAME` is the store's own form, and
    /// other paths come from imported trees whose image folders the import flattened into
    /// the book's one folder of images (`../Images/logo.png` is the asset `logo.png`). Nil
    /// for paths that leave the book and for files that are not assets (chapter files
    /// included: their text has no title line to account for).
    func data(at path: String) throws -> Data? {
        guard let name = Self.assetName(path) else { return nil }
        return try self.store.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM asset WHERE bookId = ? AND name = ?", arguments: [self.book, name])
        }
    }

    static func assetName(_ path: String) -> String? {
        BookPath.normalise(path.removingPercentEncoding ?? path)?.split(separator: "/").last.map(String.init)
    }
}
