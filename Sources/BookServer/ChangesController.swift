import BookStore
import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// Following a book: the changes feed (JSON, with long-poll) and the event stream (SSE).
struct ChangesController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("books/{book}/changes") { request, context in
            let since = try Self.since(request)
            let limit = try request.intQuery("limit") ?? 100
            guard (1...1000).contains(limit) else { throw Problem(.badRequest, "invalid-query", "limit is 1 to 1000") }
            let wait = try request.intQuery("wait") ?? 0
            guard wait >= 0 else { throw Problem(.badRequest, "invalid-query", "wait is a number of seconds, 0 or more") }
            let (book, user) = (try context.parameters.id("book"), try context.requireUser())
            let page = try await self.database.changes(
                book: book, since: since, limit: limit, user: user, wait: min(.seconds(wait), self.configuration.maxLongPoll))
            return try APIResponse.json(page)
        }

        /// `text/event-stream`: every change after `Last-Event-ID` (or `?since=`), then each new
        /// one as it commits; a comment every keep-alive interval while idle; and a `presence`
        /// event (no id: it is not part of the log) at the start and whenever presence changes.
        group.get("books/{book}/events") { request, context in
            // A Last-Event-ID that is not a seq is ignored (then `since` counts).
            let resume = request.headers[.lastEventID].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil }
            let since = try resume ?? Self.since(request)
            let (book, user) = (try context.parameters.id("book"), try context.requireUser())
            // Checks access and the position before the 200 goes out, so they can still be errors.
            _ = try await self.database.changes(book: book, since: since, limit: 1, user: user)
            let database = self.database
            let keepAlive = self.configuration.keepAliveInterval
            // A password change ends the stream: at once in this process (the session
            // generation moves and wakes it), and before the next delivery when another
            // process (`booksprint user passwd`) revoked the token.
            let session = database.changes.sessionGeneration(of: user.id)
            let token = request.headers[.authorization].map { AuthMiddleware.trimmed($0.dropFirst(7)) } ?? ""
            @Sendable func sessionEnded() async throws -> Bool {
                if database.changes.sessionGeneration(of: user.id) != session { return true }
                return try await database.user(forToken: token)?.id != user.id
            }
            let body = ResponseBody { writer in
                var last = since
                var presenceSent: UInt64?
                // Ends the stream (the client reconnects with Last-Event-ID) when the server
                // shuts down gracefully, so SIGTERM never waits for idle followers.
                let stopping = Atomic<Bool>(false)
                try await withGracefulShutdownHandler {
                    try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                    while !Task.isCancelled, !stopping.load(ordering: .relaxed) {
                        // Read before the session's check, so that an end in between wakes the wait below.
                        let generation = database.changes.generation(book: book)
                        if try await sessionEnded() { break }
                        let present = database.presence.present(in: book)
                        if present.version != presenceSent {
                            let data = try JSONEncoder.api.encode(PresenceController.Present(present: present.users))
                            try await writer.write(ByteBuffer(string: "event: presence\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                            presenceSent = present.version
                        }
                        let page = try await database.changes(book: book, since: last, limit: 500, user: user)
                        if page.changes.isEmpty {
                            let before = ContinuousClock.now
                            await database.changes.wait(book: book, after: generation, timeout: keepAlive)
                            if ContinuousClock.now - before >= keepAlive {
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                            }
                            continue
                        }
                        var chunk = ""
                        for change in page.changes {
                            chunk += "id: \(change.seq)\nevent: \(change.type)\ndata: \(String(decoding: try JSONEncoder.api.encode(change), as: UTF8.self))\n\n"
                        }
                        try await writer.write(ByteBuffer(string: chunk))
                        last = page.last
                    }
                } onGracefulShutdown: {
                    stopping.store(true, ordering: .relaxed)
                    database.changes.wake(book: book)
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"],
                body: body)
        }
    }

    /// `?since=`: a seq, 0 or more (400 otherwise, as the OpenAPI document says; one beyond
    /// the log's end is 410 from the store).
    static func since(_ request: Request) throws -> Int {
        let since = try request.intQuery("since") ?? 0
        guard since >= 0 else { throw Problem(.badRequest, "invalid-query", "since is a seq, 0 or more") }
        return since
    }
}
