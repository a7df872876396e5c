import BookModel
import BookStore
import Hummingbird

/// The table of contents and its operations.
struct TOCController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    struct Batch: Decodable {
        var baseVersion: Int
        var ops: [TOCOperation]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("books/{book}/toc") { _, context in
            try APIResponse.json(try await self.database.toc(of: context.parameters.id("book"), user: context.requireUser()))
        }
        group.post("books/{book}/toc/ops") { request, context in
            var request = request
            let (batch, body) = try await request.decodeJSON(Batch.self, limit: self.configuration.maxBodySize)
            guard batch.ops.count <= 1000 else { throw Problem(.unprocessableContent, "invalid", "at most 1000 operations per batch") }
            for case .addPart(let id, _, _, _) in batch.ops where !id.isEmpty {
                throw Problem(.unprocessableContent, "invalid", "addPart takes no id: the server picks it")
            }
            return try APIResponse.json(try await self.database.applyTOC(
                batch.ops, baseVersion: batch.baseVersion, to: context.parameters.id("book"), user: context.requireUser(),
                idempotency: request.idempotencyKey(body: body)))
        }
    }
}
