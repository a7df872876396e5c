@testable import BookStore
import Foundation
import Testing

/// Where a test's store lives: the suites run on both, as the store runs on a file in
/// production (a WAL `DatabasePool`) and tests like the speed of memory.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case memory, file

    var testDescription: String { self.rawValue }

    func open() throws -> AppDatabase {
        switch self {
        case .memory:
            return try AppDatabase.inMemory()
        case .file:
            return try AppDatabase.open(path: Self.temporaryPath("store"))
        }
    }

    /// The path of a store file in a new temporary folder of its own (`label` names it).
    static func temporaryPath(_ label: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("store.sqlite").path
    }
}

/// A store with a facilitator (`fran`), an author (`ann`), a reader (`rea`), a stranger
/// (`sam`), one book and one chapter of twenty lines.
struct Fixture {
    let db: AppDatabase
    let fran: User, ann: User, rea: User, sam: User
    let book: String
    let chapter: String
    static let lines = (1...20).map { "line \($0)\n" }
    /// The fixture's own setup acts as an administrator.
    static let setup = User(id: 0, name: "setup", isAdmin: true)

    init(_ kind: StoreKind) async throws {
        self.db = try kind.open()
        self.fran = try await self.db.addUser(name: "fran", password: "password-f")
        self.ann = try await self.db.addUser(name: "ann", password: "password-a")
        self.rea = try await self.db.addUser(name: "rea", password: "password-r")
        self.sam = try await self.db.addUser(name: "sam", password: "password-s")
        self.book = try await self.db.createBook(.init(title: "Sprint"), user: self.fran).id
        // As an administrator would: a facilitator adds by name only people who share a book.
        _ = try await self.db.setMember("ann", role: .author, of: self.book, user: Self.setup)
        _ = try await self.db.setMember("rea", role: .reader, of: self.book, user: Self.setup)
        self.chapter = try await self.db.createChapter(
            .init(title: "One", text: Self.lines.joined()), in: self.book, user: self.ann).id
    }

    func save(_ text: String, base: Int?, by user: User? = nil, resolves: [String]? = nil, key: String? = nil) async throws -> SaveOutcome {
        let idempotency = key.map { IdempotencyKey(key: $0, request: Array("\(base ?? -1)\(text)".utf8)) }
        return try await self.db.save(
            Save(base: base, text: text, resolves: resolves), chapter: self.chapter, in: self.book, user: user ?? self.ann,
            idempotency: idempotency)
    }

    static func text(replacing index: Int, with line: String, in lines: [String] = Self.lines) -> String {
        var lines = lines
        lines[index] = line
        return lines.joined()
    }
}

/// Holds the store's writer from inside a write, so that a test decides which writes queue
/// up behind it (`WriteQueue.waitingWrites`) before the next batch starts: no sleeps.
final class WriterGate: Sendable {
    private let held = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let holder: Task<Void, any Error>

    /// Returns once the writer is held.
    init(_ db: AppDatabase) async {
        let (held, released) = (self.held, self.released)
        self.holder = Task { try await db.write { _, _ in held.signal(); released.wait() } }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { held.wait(); done.resume() }
        }
    }

    /// Waits until `count` writes are queued behind the writer; fails after a minute.
    func untilWaiting(_ count: Int, in db: AppDatabase, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while db.writes.waitingWrites < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(db.writes.waitingWrites) of \(count) writes queued", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Lets the held write commit and returns when it has.
    func release() async throws {
        self.released.signal()
        try await self.holder.value
    }

    /// A test that ends early must not leave the writer held.
    deinit { self.released.signal() }
}
