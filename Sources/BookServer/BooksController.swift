import BookStore
import Hummingbird

/// Books and their members.
struct BooksController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    struct MemberBody: Decodable {
        var role: Role
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        /// The books the caller can see.
        group.get("books") { _, context in
            struct Listing: Encodable { var books: [BookSummary] }
            return try APIResponse.json(Listing(books: try await self.database.books(for: context.requireUser())))
        }
        /// Creates a book; its creator is its facilitator.
        group.post("books") { request, context in
            var request = request
            let (fields, body) = try await request.decodeJSON(AppDatabase.BookFields.self, limit: self.configuration.maxBodySize)
            let book = try await self.database.createBook(fields, user: context.requireUser(), idempotency: request.idempotencyKey(body: body))
            return try APIResponse.json(book, status: .created, headers: [.location: "/api/v1/books/\(book.id)", .eTag: Self.eTag(book)])
        }
        group.get("books/{book}") { request, context in
            let book = try await self.database.book(context.parameters.id("book"), user: context.requireUser())
            let eTag = Self.eTag(book)
            if request.hasCurrent(eTag: eTag) {
                return Response(status: .notModified, headers: [.eTag: eTag])
            }
            return try APIResponse.json(book, headers: [.eTag: eTag])
        }
        group.patch("books/{book}") { request, context in
            var request = request
            let (fields, body) = try await request.decodeJSON(AppDatabase.BookFields.self, limit: self.configuration.maxBodySize)
            let book = try await self.database.updateBook(
                context.parameters.id("book"), fields, user: context.requireUser(), idempotency: request.idempotencyKey(body: body))
            return try APIResponse.json(book, headers: [.eTag: Self.eTag(book)])
        }

        group.get("books/{book}/members") { _, context in
            struct Listing: Encodable { var members: [Member] }
            let members = try await self.database.members(of: context.parameters.id("book"), user: context.requireUser())
            return try APIResponse.json(Listing(members: members))
        }
        group.get("books/{book}/members/{username}") { _, context in
            try APIResponse.json(try await self.database.member(
                context.parameters.id("username"), of: context.parameters.id("book"), user: context.requireUser()))
        }
        group.put("books/{book}/members/{username}") { request, context in
            var request = request
            let (member, body) = try await request.decodeJSON(MemberBody.self, limit: 64 << 10)
            return try APIResponse.json(try await self.database.setMember(
                context.parameters.id("username"), role: member.role, of: context.parameters.id("book"),
                user: context.requireUser(), idempotency: request.idempotencyKey(body: body)))
        }
        group.delete("books/{book}/members/{username}") { request, context in
            _ = try await self.database.removeMember(
                context.parameters.id("username"), of: context.parameters.id("book"), user: context.requireUser(),
                idempotency: request.idempotencyKey(body: []))
            return APIResponse.noContent()
        }
    }

    /// Nearly every change to what the book view shows appends to the change log, so its
    /// seq (with the caller's role, which the view includes) names the representation; word
    /// counts change only with revisions, which take a seq. Dismissing a conflict takes no
    /// seq, but open conflicts only ever become fewer between two seqs, so their number
    /// completes the name.
    static func eTag(_ book: BookView) -> String {
        "\"s\(book.seq)-\(book.role.rawValue)-c\(book.chapters.values.reduce(0) { $0 + $1.conflicts })\""
    }
}
