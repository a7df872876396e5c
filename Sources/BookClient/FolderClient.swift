import BookModel
import Foundation
import TextMerge

/// What a sync command did, one line per chapter, and how many files were left with
/// conflicts (or refused because of them): the command's exit status is non-zero then.
public struct SyncReport: Sendable, Equatable {
    public var lines: [String]
    public var conflicts: Int

    public init(lines: [String] = [], conflicts: Int = 0) {
        self.lines = lines
        self.conflicts = conflicts
    }
}

/// A book on a server as a book folder on disk: clone, status, pull and push, merging
/// three ways against the text each chapter had when last synced.
public struct FolderClient: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    // MARK: clone

    /// Writes the book at `bookURL` into `root` (which must be absent or empty) as a book
    /// folder, and remembers the URL, the token and each chapter's revision and text.
    public static func clone(bookURL: String, token: String, into root: URL) async throws -> FolderClient {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        guard existing.isEmpty else { throw ClientError("\(root.path) exists and is not empty") }
        let api = BookAPI(bookURL: try Self.normalised(bookURL), token: token)
        let book = try await api.book()

        var texts: [String: (id: String, revision: Int, text: String)] = [:]
        var usedNames = Set<String>()
        func node(_ toc: TOCNode) async throws -> ManuscriptNode? {
            guard toc.kind == .chapter else {
                var children: [ManuscriptNode] = []
                for child in toc.children { if let c = try await node(child) { children.append(c) } }
                return .part(title: toc.title, children: children)
            }
            guard let id = toc.chapter, let head = book.chapters[id] else { return nil }
            // The server's own file name keeps links between chapters working, as in export.zip.
            let slug = head.file ?? FileSlug.make(head.title, fallback: "chapter")
            var name = slug
            var n = 2
            while !usedNames.insert(name).inserted { name = "\(slug)-\(n)"; n += 1 }
            let path = "chapters/\(name).md"
            let chapter = try await api.chapter(id)
            texts[path] = (id, chapter.revision, chapter.text)
            // The first workflow state is left unsaid, as export.zip does.
            let status = head.status == book.workflow?.first ? nil : head.status
            return .chapter(ManuscriptChapter(path: path, title: head.title, status: status))
        }
        var contents: [ManuscriptNode] = []
        for toc in book.toc.nodes { if let n = try await node(toc) { contents.append(n) } }

        let metadata = BookMetadata(
            title: book.title, subtitle: book.subtitle, language: book.language ?? "en", license: book.license,
            description: book.description, authors: book.authors ?? [],
            identifier: book.identifier ?? "urn:booksprint:\(book.id)")
        // Images come along so that the folder is complete (`booksprint check`, export);
        // they are not synced afterwards.
        var images: [String: Data] = [:]
        for name in try await api.assetNames() { images["images/\(name)"] = try await api.asset(name) }
        let source = TextSource(texts: texts.mapValues(\.text), images: images)
        try BookFolder.write(
            Manuscript(metadata: metadata, contents: contents, source: source), images: images.keys.sorted(), to: root)

        var state = ClientState(bookURL: api.bookURL)
        let client = FolderClient(root: root)
        for (path, chapter) in texts {
            // `write` puts the title line before the text (or nothing): remember which.
            guard let heading = try client.heading(of: path, before: chapter.text) else {
                throw ClientError("\(path) was not written as the server's text")
            }
            state.chapters[path] = SyncedChapter(id: chapter.id, revision: chapter.revision, base: chapter.text, heading: heading)
        }
        try ClientState.saveToken(token, in: root)
        try state.save(to: root)
        return client
    }

    static func normalised(_ bookURL: String) throws -> String {
        let (root, book) = try BookAPI.parse(bookURL: bookURL)
        return "\(root)/api/v1/books/\(book)"
    }

    // MARK: status

    /// One line per chapter changed locally (`local`), on the server (`server`), on both
    /// sides (`both`), holding conflict markers (`conflict`), or listed in book.yaml but
    /// not yet on the server (`new`).
    public func status() async throws -> SyncReport {
        let (state, api) = try self.open()
        let book = try await api.book()
        var report = SyncReport()
        for path in state.chapters.keys.sorted() {
            var chapter = state.chapters[path]!
            guard let local = try self.localEdit(path, &chapter) else {
                report.lines.append("conflict  \(path)")
                report.conflicts += 1
                continue
            }
            let localChanged = local != chapter.base
            let serverChanged = book.chapters[chapter.id].map { $0.revision != chapter.revision } ?? false
            switch (localChanged, serverChanged) {
            case (true, true): report.lines.append("both      \(path)")
            case (true, false): report.lines.append("local     \(path)")
            case (false, true): report.lines.append("server    \(path)")
            case (false, false): break
            }
        }
        for chapter in try BookFolder.load(from: self.root).manuscript.chaptersInOrder where state.chapters[chapter.path] == nil {
            report.lines.append("new       \(chapter.path)")
        }
        return report
    }

    // MARK: pull

    /// Merges the server's changes into the files. A clean merge moves the chapter's base to
    /// the server's head; a conflict writes markers and leaves the base where it was.
    public func pull() async throws -> SyncReport {
        var (state, api) = try self.open()
        let book = try await api.book()
        var report = SyncReport()
        for path in state.chapters.keys.sorted() {
            var chapter = state.chapters[path]!
            guard let local = try self.localEdit(path, &chapter) else {
                report.lines.append("skipped \(path): resolve its conflict markers first")
                report.conflicts += 1
                continue
            }
            guard let head = book.chapters[chapter.id] else {
                report.lines.append("gone    \(path): no longer on the server (kept here)")
                continue
            }
            if head.revision != chapter.revision {
                let server = try await api.chapter(chapter.id)
                if local == chapter.base {
                    try self.writeText(server.text, to: path, chapter)
                    report.lines.append("updated \(path)")
                } else {
                    let result = try TextMerge.merge(
                        base: chapter.base, ours: local, theirs: server.text, options: MergeOptions(wordRefinement: true))
                    if let merged = result.mergedText {
                        try self.writeText(merged, to: path, chapter)
                        report.lines.append("merged  \(path)")
                    } else {
                        let marked = String(decoding: result.render(ours: "local", theirs: "server"), as: UTF8.self)
                        try self.writeText(marked, to: path, chapter)
                        chapter.pending = .init(revision: server.revision, text: server.text)
                        state.chapters[path] = chapter
                        try state.save(to: self.root)
                        report.lines.append("CONFLICT (content): Merge conflict in \(path)")
                        report.conflicts += 1
                        continue
                    }
                }
                chapter.revision = server.revision
                chapter.base = server.text
            }
            state.chapters[path] = chapter
            try state.save(to: self.root)
        }
        let known = Set(state.chapters.values.map(\.id))
        for (id, head) in book.chapters.sorted(by: { $0.key < $1.key }) where !known.contains(id) {
            report.lines.append("new on the server: \(head.title) (clone again to get it)")
        }
        return report
    }

    // MARK: push

    /// Sends each locally changed file as a save with its base, adopting the server's merged
    /// text; a 409 writes the server's markers into the file. Files with markers are refused.
    public func push() async throws -> SyncReport {
        var (state, api) = try self.open()
        var report = SyncReport()
        for path in state.chapters.keys.sorted() {
            var chapter = state.chapters[path]!
            guard let local = try self.localEdit(path, &chapter) else {
                report.lines.append("refused \(path): it still has conflict markers; resolve them first")
                report.conflicts += 1
                continue
            }
            guard local != chapter.base else {
                state.chapters[path] = chapter
                continue
            }
            switch try await api.save(chapter.id, base: chapter.revision, text: local, resolves: chapter.resolves) {
            case .saved(let revision, let text):
                if text != local {
                    try self.writeText(text, to: path, chapter)
                    report.lines.append("pushed  \(path) (merged with the server's changes, revision \(revision))")
                } else {
                    report.lines.append("pushed  \(path) (revision \(revision))")
                }
                chapter.revision = revision
                chapter.base = text
                chapter.resolves = nil
            case .conflict(let head, let conflict, let marked):
                let headText = try await api.text(of: chapter.id, revision: head)
                try self.writeText(marked, to: path, chapter)
                chapter.pending = .init(revision: head, text: headText, conflict: conflict)
                report.lines.append("CONFLICT (content): Merge conflict in \(path) (your text is kept on the server as conflict \(conflict))")
                report.conflicts += 1
            }
            state.chapters[path] = chapter
            try state.save(to: self.root)
        }
        try await self.createNewChapters(&state, api, &report)
        try state.save(to: self.root)
        return report
    }

    /// Chapters that book.yaml lists but the server has never seen: created on the server
    /// (at the end of its table of contents), then synced like the others.
    func createNewChapters(_ state: inout ClientState, _ api: BookAPI, _ report: inout SyncReport) async throws {
        let loaded = try BookFolder.load(from: self.root)
        for chapter in loaded.manuscript.chaptersInOrder where state.chapters[chapter.path] == nil {
            let text = try loaded.manuscript.source.text(ofChapterAt: chapter.path)
            guard let heading = try self.heading(of: chapter.path, before: text) else {
                report.lines.append("skipped \(chapter.path): cannot tell its title line from its text")
                continue
            }
            let created = try await api.createChapter(title: chapter.title, text: text)
            state.chapters[chapter.path] = SyncedChapter(id: created.id, revision: created.revision, base: text, heading: heading)
            try state.save(to: self.root)
            report.lines.append("created \(chapter.path) (revision \(created.revision))")
        }
    }

    /// What the file at `path` has before `text` (its title line, or ""); nil when the
    /// file does not end with the text.
    func heading(of path: String, before text: String) throws -> String? {
        let file = Array(try Data(contentsOf: self.root.appendingPathComponent(path)))
        let body = Array(text.utf8)
        guard file.count >= body.count, file.suffix(body.count).elementsEqual(body) else { return nil }
        return String(decoding: file.prefix(file.count - body.count), as: UTF8.self)
    }

    // MARK: files

    func open() throws -> (ClientState, BookAPI) {
        let state = try ClientState.load(from: self.root)
        return (state, BookAPI(bookURL: state.bookURL, token: try ClientState.loadToken(in: self.root)))
    }

    /// The chapter's local text, with a conflict the writer has resolved adopted into
    /// `chapter`; nil while the file still holds conflict markers of its own. Every command
    /// reads a file against its base this one way.
    func localEdit(_ path: String, _ chapter: inout SyncedChapter) throws -> String? {
        let local = try self.localText(path, chapter)
        guard !chapter.hasConflictMarkers(local) else { return nil }
        chapter.adoptResolution(of: local)
        return local
    }

    /// The chapter's text: the file without the title line `clone` wrote before it.
    private func localText(_ path: String, _ chapter: SyncedChapter) throws -> String {
        guard let data = try? Data(contentsOf: self.root.appendingPathComponent(path)) else {
            throw ClientError("\(path) is missing; restore it (chapters are not deleted from the folder client)")
        }
        let file = String(decoding: data, as: UTF8.self)
        guard file.utf8.starts(with: chapter.heading.utf8) else {
            throw ClientError("\(path): its first line must stay '\(chapter.heading.split(separator: "\n").first ?? "")' (titles are changed on the server)")
        }
        return String(decoding: Array(file.utf8).dropFirst(chapter.heading.utf8.count), as: UTF8.self)
    }

    func writeText(_ text: String, to path: String, _ chapter: SyncedChapter) throws {
        try Data((chapter.heading + text).utf8).write(to: self.root.appendingPathComponent(path), options: .atomic)
    }
}

/// Chapter texts and images held in memory, for writing a book fetched from the server.
struct TextSource: ManuscriptSource {
    let texts: [String: String]
    let images: [String: Data]

    func text(ofChapterAt path: String) throws -> String {
        guard let text = self.texts[path] else { throw ClientError("no text for \(path)") }
        return text
    }

    func data(at path: String) throws -> Data? { self.images[path] }
}
