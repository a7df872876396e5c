/// git's conflict markers in a file the writer has to resolve.
enum ConflictMarkers {
    /// True when the text has a line opening a conflict (`<<<<<<<`) and one closing it
    /// (`>>>>>>>`), as `git merge-file` writes them.
    static func present(in text: String) -> Bool {
        var opened = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("<<<<<<<") { opened = true } else if opened, line.hasPrefix(">>>>>>>") { return true }
        }
        return false
    }
}
