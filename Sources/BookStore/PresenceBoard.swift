import Foundation
import Synchronization

/// Who has which chapter of a book open: the protocol's presence, held in memory only (it
/// is about the last minute, and a restart forgets nothing that matters). A client says
/// where it is when that changes and again every half minute or so; an entry not renewed
/// within `lifetime` is gone. Each book's `version` counts its changes, so that event
/// streams send a `presence` event only when there is news.
public final class PresenceBoard: Sendable {
    private struct Entry {
        var chapter: String?
        var since: Date
        var until: ContinuousClock.Instant
    }

    private struct Book {
        var entries: [String: Entry] = [:]
        var version: UInt64 = 0
    }

    private let books = Mutex([String: Book]())
    let lifetime: Duration
    /// How long an entry lives without renewal (the protocol's clients renew every 30 s).
    public static let defaultLifetime: Duration = .seconds(60)

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// Records that `user` has `chapter` open (nil: the book, no chapter); true when that is news.
    func set(_ user: String, chapter: String?, in book: String) -> Bool {
        let until = ContinuousClock.now + self.lifetime
        return self.books.withLock { books in
            var state = books[book, default: Book()]
            Self.dropExpired(&state)
            let changed = state.entries[user]?.chapter != chapter || state.entries[user] == nil
            state.entries[user] = Entry(chapter: chapter, since: changed ? Date() : state.entries[user]!.since, until: until)
            if changed { state.version += 1 }
            books[book] = state
            return changed
        }
    }

    /// The book's present users, by name, and the version of that list.
    public func present(in book: String) -> (version: UInt64, users: [Presence]) {
        self.books.withLock { books in
            guard var state = books[book] else { return (0, []) }
            Self.dropExpired(&state)
            books[book] = state
            let users = state.entries.map { Presence(user: $0.key, chapter: $0.value.chapter, since: $0.value.since) }
            return (state.version, users.sorted { $0.user < $1.user })
        }
    }

    private static func dropExpired(_ state: inout Book) {
        let now = ContinuousClock.now
        let before = state.entries.count
        state.entries = state.entries.filter { $0.value.until > now }
        if state.entries.count != before { state.version += 1 }
    }
}

/// One user's presence in a book.
public struct Presence: Codable, Sendable, Equatable {
    public var user: String
    /// The chapter the user has open; nil when the user is on the book but in no chapter.
    public var chapter: String?
    /// Since when the user has had this chapter open.
    public var since: Date
}

extension AppDatabase {
    /// Records where the caller is in a book (readers and up; `chapter` must be one of the
    /// book's) and wakes the book's event streams when that is news.
    public func setPresence(chapter: String?, in book: String, user: User) async throws -> [Presence] {
        try await self.read { db in
            try Self.require(.reader, of: user, in: book, db)
            if let chapter, (try? Self.chapterRow(chapter, in: book, db)) == nil {
                // The book is there; what the body names is not in it (as a TOC operation or a
                // save's `resolves` naming another book's things): 422, the same for any id.
                throw StoreError.invalid("\(chapter) is not a chapter of this book")
            }
        }
        if self.presence.set(user.name, chapter: chapter, in: book) { self.changes.wake(book: book) }
        return self.presence.present(in: book).users
    }

    /// Who is in a book now (readers and up).
    public func present(in book: String, user: User) async throws -> [Presence] {
        _ = try await self.read { db in try Self.require(.reader, of: user, in: book, db) }
        return self.presence.present(in: book).users
    }
}
