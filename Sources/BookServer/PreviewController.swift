import BookExport
import BookModel
import BookStore
import Hummingbird
import NIOPosix

/// `POST /books/{book}/preview {text, chapter?}` -> `{html, problems}`: the web app's
/// preview, rendered by the exporter's pipeline (`ChapterPreview`). Readers and up.
struct PreviewController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    struct Body: Decodable {
        var text: String
        /// The chapter the text belongs to, when it is one already.
        var chapter: String?
    }

    struct Preview: Encodable {
        struct Problem: Encodable {
            var line: Int
            var severity: String
            var message: String
        }
        var html: String
        var problems: [Problem]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("books/{book}/preview") { request, context in
            var request = request
            let book = try context.parameters.id("book")
            let (body, _) = try await request.decodeJSON(Body.self, limit: self.configuration.maxBodySize)
            let sources = try await self.database.previewSources(of: book, user: context.requireUser())
            let preview = ChapterPreview(
                book: book, chapters: sources.chapters.map { ChapterPreview.Chapter(id: $0.id, file: $0.file, title: $0.title) },
                assets: sources.assets)
            // A long chapter takes milliseconds of CPU: off the threads that serve requests.
            let (html, problems) = try await NIOThreadPool.singleton.runIfActive { preview.render(body.text, chapter: body.chapter) }
            return try APIResponse.json(Preview(
                html: html,
                problems: problems.map { .init(line: $0.line ?? 1, severity: $0.severity.rawValue, message: $0.message) }))
        }
    }
}
