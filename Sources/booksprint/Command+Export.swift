import ArgumentParser
import BookExport
import BookModel
import Foundation

extension Booksprint {
    /// `booksprint export BOOK_DIR --format epub|html|site -o OUT`: a book without a server.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a book folder or mdBook/GitBook tree as EPUB 3, one HTML file or an HTML site.",
            discussion: """
                BOOK_DIR is a book folder (book.yaml, chapters/, images/) or an mdBook/GitBook \
                tree. Problems are printed as FILE:LINE: warning|error: MESSAGE; the export is \
                written anyway, with what cannot be exported dropped. Set SOURCE_DATE_EPOCH to \
                fix the export time for byte-identical output.
                """)

        @OptionGroup var bookFolder: BookFolderArgument

        @Option(help: "epub, html (one self-contained file) or site (a folder of pages).")
        var format: ExportFormat = .epub

        @Option(name: .shortAndLong, help: "The file (epub, html) or folder (site) to write.")
        var output: String

        func validate() throws {
            if self.output.isEmpty { throw ValidationError("-o needs a file or folder name") }
        }

        func run() throws {
            let book: LoadedBook
            do {
                book = try loadBook(at: self.bookFolder.url)
            } catch let error as BookLoadError {
                FileHandle.standardError.write(Data("\(error.problem)\n".utf8))
                throw ExitCode.failure
            }
            let options = ExportOptions(date: Self.exportDate, progress: ProgressLine.forTerminal())
            let report = try BookExporter(book.manuscript, options: options)
                .write(self.format, to: URL(fileURLWithPath: self.output))
            ProgressLine.clear()
            // The reader's problems and the exporter's overlap (both check links and images);
            // each is shown once.
            var seen = Set<String>()
            let problems = (book.problems + report.problems)
                .filter { seen.insert($0.description).inserted }
                .enumerated().sorted { ($0.element.file, $0.element.line ?? 0, $0.offset) < ($1.element.file, $1.element.line ?? 0, $1.offset) }
            for (_, problem) in problems { print(self.bookFolder.shown(problem)) }
            FileHandle.standardError.write(Data("wrote \(self.output): \(report.pages) pages, \(report.images) images\n".utf8))
        }

        /// The export time: SOURCE_DATE_EPOCH when set (reproducible builds' convention), else now.
        static var exportDate: Date {
            if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = TimeInterval(epoch) {
                return Date(timeIntervalSince1970: seconds)
            }
            return Date()
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}

/// A one-line `exporting 12/200` progress indicator, shown only on a terminal.
enum ProgressLine {
    static func forTerminal() -> (@Sendable (Int, Int) -> Void)? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        return { done, total in
            guard total >= 20, done % 10 == 0 || done == total else { return }
            FileHandle.standardError.write(Data("\rexporting \(done)/\(total)".utf8))
        }
    }

    /// A one-off status line (`importing ...`), on a terminal only.
    static func show(_ text: String) {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    static func clear() {
        guard isatty(STDERR_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
