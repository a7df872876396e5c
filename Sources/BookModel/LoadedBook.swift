import Foundation

/// A book read from disk: the manuscript (texts read lazily from the folder) and every
/// problem found, each with file and line.
public struct LoadedBook: Sendable {
    public var manuscript: Manuscript
    public var problems: [BookProblem]
    /// Every file under the book's image folders (`images/cover.png`), relative to the
    /// manuscript source's root: what `BookFolder.write` copies.
    public var images: [String]

    public init(manuscript: Manuscript, problems: [BookProblem], images: [String] = []) {
        self.manuscript = manuscript
        self.problems = problems
        self.images = images
    }

    /// True when at least one problem is an error (a warning alone is not).
    public var hasErrors: Bool { self.problems.contains { $0.severity == .error } }
}

/// Thrown when a folder holds nothing a reader can make a book of; carries the problem
/// (file and line) so the command can print it like any other.
public struct BookLoadError: Error, Sendable, CustomStringConvertible {
    public var problem: BookProblem

    public init(_ problem: BookProblem) { self.problem = problem }

    public var description: String { self.problem.description }
}

/// Picks the reader by what the folder holds: `book.yaml` -> BookFolder, `SUMMARY.md`
/// (at the root or in `src/`) -> MdBook; otherwise throws with a clear message.
public func loadBook(at folder: URL) throws -> LoadedBook {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw BookLoadError(BookProblem(.error, file: folder.path, "not a folder"))
    }
    if fm.fileExists(atPath: folder.appendingPathComponent(BookYaml.file).path) {
        return try BookFolder.load(from: folder)
    }
    if MdBook.summaryFolder(in: folder) != nil {
        return try MdBook.load(from: folder)
    }
    throw BookLoadError(BookProblem(
        .error, file: folder.path,
        "neither a book folder (book.yaml) nor an mdBook/GitBook tree (SUMMARY.md, src/SUMMARY.md)"))
}
