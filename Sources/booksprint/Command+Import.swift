import ArgumentParser
import BookModel
import BookStore
import Foundation

extension Booksprint {
    /// `booksprint import BOOK_DIR [--data DIR] [--from folder|mdbook]`: a book from disk
    /// into a local store.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a book folder or an mdBook/GitBook tree into a local store.",
            discussion: """
                The chapters' texts become their first revisions and the pictures the book's \
                images; the owner becomes the book's facilitator. Problems are printed as \
                FILE:LINE: warning|error: MESSAGE. A book with errors is imported all the same \
                when every chapter can be read (fix it on the server); exit status 1 when it \
                cannot be read at all.
                """)

        /// Which reader to use; by default, what the folder holds decides.
        enum Layout: String, ExpressibleByArgument, CaseIterable {
            case folder, mdbook
        }

        @OptionGroup var bookFolder: BookFolderArgument

        @Option(help: "folder or mdbook (default: book.yaml means folder, SUMMARY.md means mdbook).")
        var from: Layout?

        @Option(help: "The account that owns the imported book (default: the store's first administrator).")
        var owner: String?

        @OptionGroup var store: DataOptions

        func run() async throws {
            let database = try self.store.open()
            let owner = try await self.findOwner(database)
            let folder = self.bookFolder.url
            let book: LoadedBook
            do {
                switch self.from {
                case .folder: book = try BookFolder.load(from: folder)
                case .mdbook: book = try MdBook.load(from: folder)
                case nil: book = try loadBook(at: folder)
                }
            } catch let error as BookLoadError {
                Self.printError(self.bookFolder.shown(error.problem))
                throw ExitCode.failure
            }
            for problem in book.problems { print(self.bookFolder.shown(problem)) }

            let chapters = book.manuscript.chaptersInOrder.count
            ProgressLine.show("importing \(book.manuscript.metadata.title): \(chapters) chapters, \(book.images.count) images")
            let id: String
            do {
                id = try await database.importBook(book, owner: owner)
            } catch let error as CocoaError {
                ProgressLine.clear()
                Self.printError("booksprint: cannot import: \(error.localizedDescription)")
                throw ExitCode.failure
            }
            ProgressLine.clear()
            print("imported \(id)\t\(book.manuscript.metadata.title)\t\(chapters) chapters, \(book.images.count) images, owner \(owner.name)")
        }

        /// `--owner`, or the first administrator; a store without one is told how to get one.
        func findOwner(_ database: AppDatabase) async throws -> User {
            let users = try await database.users()
            if let name = self.owner {
                guard let user = users.first(where: { $0.name == name }) else {
                    throw ValidationError("no account \(name) in \(self.store.data)")
                }
                return user
            }
            guard let admin = users.filter(\.isAdmin).min(by: { $0.id < $1.id }) else {
                throw ValidationError(
                    "the store in \(self.store.data) has no administrator: give --owner NAME, or create one with `booksprint user add NAME --admin --password-stdin`")
            }
            return admin
        }

        static func printError(_ line: some CustomStringConvertible) {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }
}
