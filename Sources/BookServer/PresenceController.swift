import BookStore
import Hummingbird

/// Presence: who has which chapter of a book open. Clients `PUT` where they are when that
/// changes and every half minute; followers see it on the event stream (`presence` events,
/// without an id) or with `GET`.
struct PresenceController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    struct Present: Codable {
        var present: [Presence]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.put("books/{book}/presence") { request, context in
            struct Body: Decodable {
                var chapter: String?
            }
            var request = request
            let (body, _) = try await request.decodeJSON(Body.self, limit: 64 << 10)
            return try APIResponse.json(Present(present: try await self.database.setPresence(
                chapter: body.chapter, in: context.parameters.id("book"), user: context.requireUser())))
        }
        group.get("books/{book}/presence") { _, context in
            try APIResponse.json(Present(present: try await self.database.present(in: context.parameters.id("book"), user: context.requireUser())))
        }
    }
}
