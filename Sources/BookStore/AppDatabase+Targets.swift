import BookModel
import GRDB

extension AppDatabase {
    /// v4: a chapter may have a word-count target, set by a facilitator (`PATCH .../chapters/{id}`
    /// with `target`), shown in the chapter and book views and kept in book.yaml.
    static func registerChapterTargets(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-chapter-target") { db in
            try db.execute(sql: "ALTER TABLE chapter ADD COLUMN target INTEGER CHECK (target IS NULL OR target >= 0)")
        }
    }

    /// A target as the store keeps it: nil (none) or 0 to `ManuscriptChapter.maxTarget` words.
    static func checkedTarget(_ target: Int?) throws -> Int? {
        guard let target else { return nil }
        guard (0...ManuscriptChapter.maxTarget).contains(target) else {
            throw StoreError.invalid("target is a number of words from 0 to \(ManuscriptChapter.maxTarget), or null for none")
        }
        return target
    }
}
