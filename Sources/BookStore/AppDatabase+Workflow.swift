import GRDB

extension AppDatabase {
    /// Moves the book's chapters from workflow `old` to `new` (in the caller's transaction):
    /// a renamed state (`renames`, old name to new) takes its chapters with it; a state
    /// dropped while a chapter is in it is a conflict naming those chapters. Deleted chapters
    /// in a dropped state go to the first state, where a restored chapter can live.
    static func moveChapters(from old: [String], to new: [String], renames: [String: String]?, in book: String, _ db: Database) throws {
        let renames = renames ?? [:]
        guard old != new || !renames.isEmpty else { return }
        for (from, to) in renames.sorted(by: { $0.key < $1.key }) {
            // A name may stay in use only when another state takes it over (a swap).
            let freed = !new.contains(from) || renames.values.contains(from)
            let free = !old.contains(to) || renames[to] != nil
            guard old.contains(from), new.contains(to), freed, free else {
                throw StoreError.invalid(
                    "renames maps a state of the current workflow that the new one drops to a state the new one adds: '\(from)' to '\(to)' does not")
            }
        }
        guard Set(renames.values).count == renames.count else { throw StoreError.invalid("renames gives two states the same new name") }
        let dropped = old.filter { !new.contains($0) && renames[$0] == nil }
        if !dropped.isEmpty {
            let marks = dropped.map { _ in "?" }.joined(separator: ", ")
            let inUse = try Row.fetchAll(
                db, sql: "SELECT id, title, status FROM chapter WHERE bookId = ? AND NOT deleted AND status IN (\(marks)) ORDER BY title, id",
                arguments: StatementArguments([book] + dropped))
            if !inUse.isEmpty {
                let names = inUse.prefix(10).map { "\"\($0["title"] as String)\" (\($0["status"] as String))" }.joined(separator: ", ")
                throw StoreError.stateConflict(
                    "a state still in use cannot be dropped: \(inUse.count) chapter(s) are in it: \(names)\(inUse.count > 10 ? ", …" : ""); move them first, or rename the state")
            }
            try db.execute(
                sql: "UPDATE chapter SET status = ? WHERE bookId = ? AND deleted AND status IN (\(marks))",
                arguments: StatementArguments([new[0], book] + dropped))
        }
        // One statement for every rename, so that swapping two names works.
        if !renames.isEmpty {
            let cases = renames.keys.map { _ in "WHEN ? THEN ?" }.joined(separator: " ")
            let marks = renames.keys.map { _ in "?" }.joined(separator: ", ")
            let pairs = renames.sorted { $0.key < $1.key }
            try db.execute(
                sql: "UPDATE chapter SET status = CASE status \(cases) END WHERE bookId = ? AND status IN (\(marks))",
                arguments: StatementArguments(pairs.flatMap { [$0.key, $0.value] } + [book] + pairs.map(\.key)))
        }
    }
}
