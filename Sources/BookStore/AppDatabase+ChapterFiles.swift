import GRDB

extension AppDatabase {
    /// v2: chapters remember the file name they leave the server with (`ChapterFileName`).
    /// Chapters from before have none and are named after their title on export.
    static func registerChapterFiles(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-chapter-file") { db in
            try db.execute(sql: "ALTER TABLE chapter ADD COLUMN file TEXT")
        }
    }

    /// A file name made from `title` that no other chapter of the book has.
    static func freeFileName(for title: String, in book: String, _ db: Database) throws -> String {
        var taken = Set(try String.fetchAll(db, sql: "SELECT lower(file) FROM chapter WHERE bookId = ? AND file IS NOT NULL", arguments: [book]))
        return ChapterFileName.unique(ChapterFileName.slug(title), taken: &taken)
    }
}
