/// git's conflict markers in a file the writer has to resolve.
enum ConflictMarkers {
    /// The number of complete conflict blocks (`<<<<<<<` ... `=======` ... `>>>>>>>`, each
    /// marker at the start of a line) in the text.
    static func count(in text: String) -> Int {
        var count = 0
        var state = 0  // 0: outside, 1: after <<<<<<<, 2: after =======
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("<<<<<<<") {
                state = 1
            } else if state == 1, line == "=======" {
                state = 2
            } else if state == 2, line.hasPrefix(">>>>>>>") {
                count += 1
                state = 0
            }
        }
        return count
    }
}

extension SyncedChapter {
    /// True when `local` has more conflict blocks than the texts it was made from: a book
    /// about merging may well show markers on purpose (this project's handbook does).
    func hasConflictMarkers(_ local: String) -> Bool {
        let known = max(ConflictMarkers.count(in: self.base), self.pending.map { ConflictMarkers.count(in: $0.text) } ?? 0)
        return ConflictMarkers.count(in: local) > known
    }
}
