import BookExport
import BookModel
import BookStore
import Foundation
import Hummingbird
import NIOPosix

/// The book as files to take away: `GET /books/{book}/export.epub`, `export.html` (one
/// self-contained file) and `export.zip` (a book folder that imports again without loss).
/// Readers and up; the texts are the chapters' heads when the request arrived.
struct ExportController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        /// EPUB 3, valid under EPUBCheck.
        group.get("books/{book}/export.epub") { _, context in
            let book = try await self.database.loadBook(context.parameters.id("book"), user: context.requireUser())
            let (data, report) = try await Self.offload {
                try BookExporter(book.manuscript, options: ExportOptions(date: Date())).epubData()
            }
            Self.log(report.problems, context)
            return Self.download(data, type: "application/epub+zip", name: Self.fileName(book, ext: "epub"))
        }
        /// One HTML5 file: CSS inline, images as data URLs.
        group.get("books/{book}/export.html") { _, context in
            let book = try await self.database.loadBook(context.parameters.id("book"), user: context.requireUser())
            let (data, report) = try await Self.offload {
                try Self.inScratchFolder { folder in
                    let file = folder.appendingPathComponent("book.html")
                    let report = try BookExporter(book.manuscript, options: ExportOptions(date: Date())).write(.html, to: file)
                    return (try Data(contentsOf: file), report)
                }
            }
            Self.log(report.problems, context)
            return Self.download(data, type: "text/html; charset=utf-8", name: Self.fileName(book, ext: "html"))
        }
        /// The book folder (book.yaml, chapters/, images/) under one top folder.
        group.get("books/{book}/export.zip") { _, context in
            let book = try await self.database.loadBook(context.parameters.id("book"), user: context.requireUser())
            let root = Self.slug(book)
            let data = try await Self.offload {
                try Self.inScratchFolder { folder in
                    try BookFolder.write(book.manuscript, images: book.images, to: folder)
                    return try FolderArchive.zip(folder, root: root)
                }
            }
            return Self.download(data, type: "application/zip", name: root + ".zip")
        }
    }

    /// Exports read SQLite and burn CPU for a while: they run on NIO's blocking pool, not on
    /// the threads that serve requests.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    static func inScratchFolder<T>(_ work: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try work(folder)
    }

    /// What the exporter could not export is the book's business, not an error of the call;
    /// the server notes how much there was.
    static func log(_ problems: [BookProblem], _ context: AppRequestContext) {
        guard !problems.isEmpty else { return }
        context.logger.info("export dropped what it could not export", metadata: ["problems": "\(problems.count)"])
    }

    static func slug(_ book: LoadedBook) -> String {
        FileSlug.make(book.manuscript.metadata.title, fallback: "book")
    }

    static func fileName(_ book: LoadedBook, ext: String) -> String {
        "\(Self.slug(book)).\(ext)"
    }

    /// `attachment` with an ASCII file name made from the title: nothing a browser or a
    /// shell could misread (no quotes, slashes or control characters).
    static func download(_ data: Data, type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type,
                .contentDisposition: "attachment; filename=\"\(name)\"",
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
