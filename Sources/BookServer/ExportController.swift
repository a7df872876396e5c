import BookExport
import BookModel
import BookStore
import Foundation
import Hummingbird
import NIOPosix

/// The book as files to take away: `GET /books/{book}/export.epub`, `export.html` (one
/// self-contained file), `export.site.zip` (the multi-page site) and `export.zip` (a book
/// folder that imports again without loss); and `problems`, what an export would report.
/// Readers and up; the texts are the chapters' heads when the request arrived.
struct ExportController {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        /// EPUB 3, valid under EPUBCheck.
        group.get("books/{book}/export.epub") { request, context in
            try await self.export(request, context, ext: "epub", type: "application/epub+zip") { stored in
                let (data, report) = try BookExporter(stored.book.manuscript, options: ExportOptions(date: stored.modified)).epubData()
                return (data, report.problems)
            }
        }
        /// One HTML5 file: CSS inline, images as data URLs.
        group.get("books/{book}/export.html") { request, context in
            try await self.export(request, context, ext: "html", type: "text/html; charset=utf-8") { stored in
                try Self.inScratchFolder { folder in
                    let file = folder.appendingPathComponent("book.html")
                    let report = try BookExporter(stored.book.manuscript, options: ExportOptions(date: stored.modified)).write(.html, to: file)
                    return (try Data(contentsOf: file), report.problems)
                }
            }
        }
        /// The multi-page site (index.html, a page per chapter, style.css, images/) as a zip.
        group.get("books/{book}/export.site.zip") { request, context in
            try await self.export(request, context, ext: "site.zip", type: "application/zip") { stored in
                try Self.inScratchFolder { folder in
                    let site = folder.appendingPathComponent("site")
                    let report = try BookExporter(stored.book.manuscript, options: ExportOptions(date: stored.modified)).write(.site, to: site)
                    return (try FolderArchive.zip(site, root: Self.slug(stored.book)), report.problems)
                }
            }
        }
        /// "Check before publishing": what an export would report, as data (readers and up).
        group.get("books/{book}/problems") { _, context in
            let stored = try await self.database.loadBook(context.parameters.id("book"), user: context.requireUser())
            let problems = try await NIOThreadPool.singleton.runIfActive {
                try BookExporter(stored.book.manuscript, options: ExportOptions(date: stored.modified)).check()
            }
            let titles = Dictionary(stored.book.manuscript.chaptersInOrder.map { ($0.path, $0.title) }) { first, _ in first }
            return try APIResponse.json(ProblemListing(problems: problems.map { problem in
                ProblemListing.Item(
                    chapter: stored.chapterIDs[problem.file], title: titles[problem.file], line: problem.line,
                    kind: problem.kind.rawValue, severity: problem.severity.rawValue, message: problem.message)
            }))
        }
        /// The book folder (book.yaml, chapters/, images/) under one top folder.
        group.get("books/{book}/export.zip") { request, context in
            try await self.export(request, context, ext: "zip", type: "application/zip") { stored in
                try Self.inScratchFolder { folder in
                    try BookFolder.write(stored.book.manuscript, images: stored.book.images, to: folder)
                    return (try FolderArchive.zip(folder, root: Self.slug(stored.book)), [])
                }
            }
        }
    }

    /// `{problems: [...]}`: each with its chapter's id and title (null for the book's own
    /// problems, such as a missing cover) and its line in the chapter's text when known.
    struct ProblemListing: Encodable {
        struct Item: Encodable {
            var chapter: String?
            var title: String?
            var line: Int?
            var kind: String
            var severity: String
            var message: String

            enum CodingKeys: String, CodingKey { case chapter, title, line, kind, severity, message }

            /// Every key present, `null` when unknown: one shape for the web app to read.
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(self.chapter, forKey: .chapter)
                try c.encode(self.title, forKey: .title)
                try c.encode(self.line, forKey: .line)
                try c.encode(self.kind, forKey: .kind)
                try c.encode(self.severity, forKey: .severity)
                try c.encode(self.message, forKey: .message)
            }
        }
        var problems: [Item]
    }

    /// Reads the book (404 for books the caller cannot see), answers 304 when the caller has
    /// this state of it already, else makes the file on NIO's blocking pool (exports read
    /// SQLite and burn CPU for a while; the threads that serve requests stay free).
    func export(
        _ request: Request, _ context: AppRequestContext, ext: String, type: String,
        make: @escaping @Sendable (StoredBook) throws -> (Data, [BookProblem])
    ) async throws -> Response {
        let stored = try await self.database.loadBook(context.parameters.id("book"), user: context.requireUser())
        let eTag = "\"s\(stored.seq)-\(Self.instance)\""
        if request.hasCurrent(eTag: eTag) {
            return Response(status: .notModified, headers: [.eTag: eTag])
        }
        let (data, problems) = try await NIOThreadPool.singleton.runIfActive { try make(stored) }
        // What the exporter drops (broken raw HTML, missing images) is the book's business,
        // not an error of the call; the log notes how much there was.
        if !problems.isEmpty {
            context.logger.info("export left out what it could not export", metadata: ["problems": "\(problems.count)", "format": "\(ext)"])
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: type,
                // An ASCII slug of the title: no quote, slash or control character can reach the header.
                .contentDisposition: "attachment; filename=\"\(Self.slug(stored.book)).\(ext)\"",
                .xContentTypeOptions: "nosniff",
                .eTag: eTag,
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Names this server process in ETags: the same book state exports to the same bytes
    /// only with the same exporter, so a restart (perhaps onto a new version) starts afresh.
    static let instance = String(UInt32.random(in: .min ... .max), radix: 36)

    static func inScratchFolder<T>(_ work: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try work(folder)
    }

    static func slug(_ book: LoadedBook) -> String {
        FileSlug.make(book.manuscript.metadata.title, fallback: "book")
    }
}
