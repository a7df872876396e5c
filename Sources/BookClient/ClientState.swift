import Foundation

/// What a cloned folder remembers in `DIR/.booksprint/`: the book's URL and, per chapter
/// file, the server revision and text last synced (the merge base). The token lives in its
/// own file, readable by its owner only.
public struct ClientState: Codable, Sendable, Equatable {
    /// The book's API URL, `http://host:port/api/v1/books/ID`.
    public var bookURL: String
    /// Keyed by the chapter file's path inside the folder (`chapters/name.md`).
    public var chapters: [String: SyncedChapter]

    public init(bookURL: String, chapters: [String: SyncedChapter] = [:]) {
        self.bookURL = bookURL
        self.chapters = chapters
    }

    static let folder = ".booksprint"
    static let stateFile = "state.json"
    static let tokenFile = "token"

    /// Reads the state of the cloned folder `root`.
    public static func load(from root: URL) throws -> ClientState {
        let url = root.appendingPathComponent(Self.folder).appendingPathComponent(Self.stateFile)
        guard let data = try? Data(contentsOf: url) else {
            throw ClientError("\(root.path) is not a booksprint clone (no \(Self.folder)/\(Self.stateFile))")
        }
        do { return try JSONDecoder().decode(ClientState.self, from: data) } catch {
            throw ClientError("\(url.path) is damaged: \(error)")
        }
    }

    /// Writes the state atomically, so an interrupted command leaves the old state whole.
    public func save(to root: URL) throws {
        let dir = root.appendingPathComponent(Self.folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: dir.appendingPathComponent(Self.stateFile), options: .atomic)
    }

    /// Stores the token with mode 0600 from the start (never world-readable, not even briefly).
    public static func saveToken(_ token: String, in root: URL) throws {
        let dir = root.appendingPathComponent(Self.folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(Self.tokenFile).path
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try Data(token.utf8).write(to: URL(fileURLWithPath: path))
    }

    public static func loadToken(in root: URL) throws -> String {
        let url = root.appendingPathComponent(Self.folder).appendingPathComponent(Self.tokenFile)
        guard let data = try? Data(contentsOf: url) else { throw ClientError("no token in \(url.path); clone again") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// One chapter file's link to the server.
public struct SyncedChapter: Codable, Sendable, Equatable {
    /// The server's chapter id.
    public var id: String
    /// The revision whose text is `base`.
    public var revision: Int
    /// The chapter's text at `revision`: the merge base for pull and push.
    public var base: String
    /// What the file has before the text: the `# Title` line `BookFolder.write` adds, or "".
    public var heading: String
    /// Set while the file holds conflict markers: the server revision the markers were made
    /// against, which becomes the base once the markers are gone.
    public var pending: Pending?
    /// The server's conflict record that the next push of this file resolves.
    public var resolves: String?

    public init(id: String, revision: Int, base: String, heading: String) {
        self.id = id
        self.revision = revision
        self.base = base
        self.heading = heading
    }

    /// Once the writer has removed the markers, the server text they were made against is
    /// the base the file's text now builds on. The caller (`FolderClient.localEdit`) has
    /// already checked that `local` holds no markers of its own.
    mutating func adoptResolution(of local: String) {
        guard let pending = self.pending else { return }
        self.revision = pending.revision
        self.base = pending.text
        self.resolves = pending.conflict
        self.pending = nil
    }

    /// A merge waiting for the writer to resolve its conflict markers.
    public struct Pending: Codable, Sendable, Equatable {
        public var revision: Int
        public var text: String
        /// The server's conflict record to name in `resolves` when a push made the conflict.
        public var conflict: String?

        public init(revision: Int, text: String, conflict: String? = nil) {
            self.revision = revision
            self.text = text
            self.conflict = conflict
        }
    }
}
