import BookStore
import Hummingbird
import TextMerge

/// Chapters, their revisions and diffs, the save path and conflict records.
struct ChaptersController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        let chapters = group.group("books/{book}/chapters")
        chapters.post { request, context in
            var request = request
            let (new, body) = try await request.decodeJSON(AppDatabase.NewChapter.self, limit: self.configuration.maxBodySize)
            let book = try context.parameters.id("book")
            let chapter = try await self.database.createChapter(
                new, in: book, user: context.requireUser(), idempotency: request.idempotencyKey(body: body))
            return try APIResponse.json(
                chapter, status: .created,
                headers: [.location: "/api/v1/books/\(book)/chapters/\(chapter.id)", .eTag: "\"r\(chapter.revision)\""])
        }
        /// `?deleted=true`: the deleted chapters, for restoring (the book view lists the others).
        chapters.get { request, context in
            struct Listing: Encodable { var chapters: [DeletedChapter] }
            guard request.uri.queryParameters.get("deleted") == "true" else {
                throw Problem(.badRequest, "invalid-query", "list deleted chapters with ?deleted=true; the book view lists the others")
            }
            return try APIResponse.json(Listing(chapters: try await self.database.deletedChapters(
                in: context.parameters.id("book"), user: context.requireUser())))
        }
        chapters.get("{chapter}") { request, context in
            let chapter = try await self.database.chapter(
                context.parameters.id("chapter"), in: context.parameters.id("book"), user: context.requireUser())
            let headers: HTTPFields = [.eTag: "\"r\(chapter.revision)\""]
            if request.wantsMarkdown { return APIResponse.text(chapter.text, contentType: "text/markdown; charset=utf-8", headers: headers) }
            return try APIResponse.json(chapter, headers: headers)
        }
        chapters.patch("{chapter}") { request, context in
            var request = request
            let (patch, body) = try await request.decodeJSON(AppDatabase.ChapterPatch.self, limit: 64 << 10)
            return try APIResponse.json(try await self.database.updateChapter(
                context.parameters.id("chapter"), patch, in: context.parameters.id("book"), user: context.requireUser(),
                idempotency: request.idempotencyKey(body: body)))
        }
        chapters.delete("{chapter}") { request, context in
            _ = try await self.database.deleteChapter(
                context.parameters.id("chapter"), in: context.parameters.id("book"), user: context.requireUser(),
                idempotency: request.idempotencyKey(body: []))
            return APIResponse.noContent()
        }
        /// Brings a deleted chapter back (at the end of the table of contents).
        chapters.post("{chapter}/restore") { request, context in
            try APIResponse.json(try await self.database.restoreChapter(
                context.parameters.id("chapter"), in: context.parameters.id("book"), user: context.requireUser(),
                idempotency: request.idempotencyKey(body: [])))
        }

        chapters.get("{chapter}/revisions") { request, context in
            struct Listing: Encodable {
                var revisions: [RevisionView]
                var next: Int?
                func encode(to encoder: any Encoder) throws {
                    enum K: CodingKey { case revisions, next }
                    var c = encoder.container(keyedBy: K.self)
                    try c.encode(self.revisions, forKey: .revisions)
                    try c.encode(self.next, forKey: .next)  // `null` on the last page, as the protocol shows
                }
            }
            let limit = try request.intQuery("limit") ?? 50
            guard (1...1000).contains(limit) else { throw Problem(.badRequest, "invalid-query", "limit is 1 to 1000") }
            let (revisions, next) = try await self.database.revisions(
                of: context.parameters.id("chapter"), in: context.parameters.id("book"), limit: limit,
                before: request.intQuery("before"), user: context.requireUser())
            return try APIResponse.json(Listing(revisions: revisions, next: next))
        }
        chapters.get("{chapter}/revisions/{n}") { request, context in
            guard let n = Int(try context.parameters.id("n")) else { throw StoreError.notFound("revisions are numbered 1, 2, 3…") }
            let revision = try await self.database.revision(
                n, of: context.parameters.id("chapter"), in: context.parameters.id("book"), user: context.requireUser())
            // A revision never changes; private because it is a member's text.
            let headers: HTTPFields = [.cacheControl: "private, max-age=31536000, immutable", .eTag: "\"r\(n)\""]
            if request.wantsMarkdown { return APIResponse.text(revision.text ?? "", contentType: "text/markdown; charset=utf-8", headers: headers) }
            return try APIResponse.json(revision, headers: headers)
        }
        chapters.post("{chapter}/revisions") { request, context in
            var request = request
            let body = try await request.jsonBuffer(limit: self.configuration.maxBodySize)
            let fast = body.withUnsafeReadableBytes { Save.fastDecode($0.assumingMemoryBound(to: UInt8.self)) }
            let save = try fast?.save ?? Request.decode(Save.self, from: Array(body.readableBytesView))
            let outcome = try await self.database.save(
                save, chapter: context.parameters.id("chapter"), in: context.parameters.id("book"),
                user: context.requireUser(), idempotency: request.idempotencyKey(body: body))
            // An answer with the text as sent copies the body's literal instead of writing it again.
            let literal = fast.flatMap { fast in
                outcome.text?.hasSameBytes(as: save.text) == true
                    ? body.getSlice(at: body.readerIndex + fast.textLiteral.lowerBound, length: fast.textLiteral.count) : nil
            }
            return try Self.response(for: outcome, textLiteral: literal)
        }
        chapters.get("{chapter}/diff") { request, context in
            struct Diff: Encodable {
                var from: Int
                var to: Int
                var hunks: [DiffHunk]
            }
            guard let from = try request.intQuery("from"), let to = try request.intQuery("to") else {
                throw Problem(.badRequest, "invalid-query", "diff needs from=N and to=M")
            }
            let texts = try await self.database.revisionTexts(
                from: from, to: to, of: context.parameters.id("chapter"), in: context.parameters.id("book"), user: context.requireUser())
            return try APIResponse.json(Diff(from: from, to: to, hunks: lineDiff(from: texts.from, to: texts.to)))
        }

        chapters.get("{chapter}/conflicts/{id}") { _, context in
            try APIResponse.json(try await self.database.conflict(
                context.parameters.id("id"), of: context.parameters.id("chapter"), in: context.parameters.id("book"),
                user: context.requireUser()))
        }
        chapters.delete("{chapter}/conflicts/{id}") { request, context in
            try APIResponse.json(try await self.database.dismissConflict(
                context.parameters.id("id"), of: context.parameters.id("chapter"), in: context.parameters.id("book"),
                user: context.requireUser(), idempotency: request.idempotencyKey(body: [])))
        }
    }

    /// The protocol's answers to a save: 201 for a new revision, 200 for a no-op, 409 problem
    /// for a conflict (which is stored, so it is an answer, not a failure).
    static func response(for outcome: SaveOutcome, textLiteral: ByteBuffer? = nil) throws -> Response {
        switch outcome {
        case .created(let revision, let merged, let text, let seq):
            return Self.saved(revision: revision, merged: merged, text: text, textLiteral: textLiteral, seq: seq, status: .created)
        case .unchanged(let revision, let text):
            return Self.saved(revision: revision, merged: false, text: text, textLiteral: textLiteral, seq: nil, status: .ok)
        case .conflict(let conflict):
            guard case .object(let fields) = try JSONValue(conflict) else { throw Problem(.internalServerError, "internal", "") }
            throw Problem(
                .conflict, "merge-conflict",
                "your save conflicts with revision \(conflict.head) in \(conflict.hunks.count) place(s); it is kept as conflict \(conflict.conflict). Resolve, then save with base \(conflict.head) and resolves [\(conflict.conflict)]",
                extra: fields)
        }
    }

    /// `{merged, revision, seq?, text}`, keys sorted as `APIResponse.json` sorts them, written
    /// directly: the text is a whole chapter (see `JSONText`). `textLiteral` is the text
    /// already as a JSON literal.
    static func saved(revision: Int, merged: Bool, text: String, textLiteral: ByteBuffer?, seq: Int?, status: HTTPResponse.Status) -> Response {
        let head = "{\"merged\":\(merged),\"revision\":\(revision),\(seq.map { "\"seq\":\($0)," } ?? "")\"text\":"
        let headers: HTTPFields = [.contentType: "application/json", .eTag: "\"r\(revision)\""]
        if let textLiteral {
            // The literal is a slice of the request's body: sent as it is, with no new
            // buffer for the whole chapter (whose fresh pages were 4% of the CPU).
            return Response(status: status, headers: headers, body: .init(contentsOf: [ByteBuffer(string: head), textLiteral, ByteBuffer(string: "}")]))
        }
        var bytes = Array(head.utf8)
        JSONText.appendLiteral(text, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
