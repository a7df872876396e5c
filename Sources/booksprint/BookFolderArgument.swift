import ArgumentParser
import BookModel
import Foundation

/// The `BOOK_DIR` argument of `check`, `export` and `import`: an existing folder, and
/// problems shown with their file relative to it as the user typed it.
struct BookFolderArgument: ParsableArguments {
    @Argument(help: "The book folder (book.yaml) or mdBook/GitBook tree (SUMMARY.md).")
    var bookDir: String

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: self.bookDir, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw ValidationError("'\(self.bookDir)' is not a folder") }
    }

    var url: URL { URL(fileURLWithPath: self.bookDir, isDirectory: true) }

    /// `problem` with its book-relative file prefixed by `BOOK_DIR`.
    func shown(_ problem: BookProblem) -> BookProblem {
        var shown = problem
        if !shown.file.hasPrefix("/") {
            shown.file = (self.bookDir.hasSuffix("/") ? self.bookDir : self.bookDir + "/") + shown.file
        }
        return shown
    }
}
