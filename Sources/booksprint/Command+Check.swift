import ArgumentParser
import BookExport
import BookModel
import Foundation

extension Booksprint {
    /// `booksprint check BOOK_DIR`: every problem of a book, as `file:line: severity: message`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a book folder and list every problem with file and line.",
            discussion: """
                BOOK_DIR is a book folder (book.yaml, chapters/, images/) or an mdBook/GitBook \
                tree (SUMMARY.md at its root or in src/). Lists missing files, chapters not in \
                the table of contents, broken links and images, empty titles, remote images and \
                images without alt text, and the links and stylesheet rules an export would \
                drop (unknown schemes, addresses that are not URLs, script in the CSS), one \
                per line as FILE:LINE: error|warning: MESSAGE. \
                Exit status: 0 when there are no errors (warnings allowed), 1 when there are.
                """)

        @OptionGroup var bookFolder: BookFolderArgument

        func run() throws {
            var problems: [BookProblem]
            do {
                let book = try loadBook(at: self.bookFolder.url)
                // The reader checks files; the links and CSS an export would drop come from
                // the exporter's own rules, so that check and export never disagree.
                let dropped = BookExporter(book.manuscript).linkRuleProblems()
                problems = (book.problems + dropped)
                    .enumerated().sorted { ($0.element.file, $0.element.line ?? 0, $0.offset) < ($1.element.file, $1.element.line ?? 0, $1.offset) }
                    .map(\.element)
            } catch let error as BookLoadError {
                problems = [error.problem]
            }
            for problem in problems { print(self.bookFolder.shown(problem)) }
            let errors = problems.filter { $0.severity == .error }.count
            let summary = "\(errors) error\(errors == 1 ? "" : "s"), \(problems.count - errors) warning\(problems.count - errors == 1 ? "" : "s")"
            FileHandle.standardError.write(Data("\(summary)\n".utf8))
            if errors > 0 { throw ExitCode.failure }
        }
    }
}
