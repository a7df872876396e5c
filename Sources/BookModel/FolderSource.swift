import Foundation

/// Chapter texts and images read from a folder on disk when asked for, so a loaded book
/// costs memory for one chapter at a time. Paths are relative to `root`.
public struct FolderSource: ManuscriptSource {
    public let root: URL
    /// Chapters whose leading `# ` line is part of their text, not their title.
    var headingsInText: Set<String> = []
    /// The root with its symbolic links resolved and a trailing `/`: every path inside the
    /// book starts with it. Resolved once here, as every lookup asks `staysInside`.
    private let resolvedRootPrefix: String

    public init(root: URL) {
        self.root = root
        let resolved = root.resolvingSymlinksInPath().standardizedFileURL.path
        self.resolvedRootPrefix = resolved.hasSuffix("/") ? resolved : resolved + "/"
    }

    /// The chapter's text as the book folder rules read it: BOM stripped, LF line endings,
    /// and without its leading `# Title` line (that is the title).
    public func text(ofChapterAt path: String) throws -> String {
        guard let found = self.existingPath(path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return ChapterFile(data: try Data(contentsOf: self.url(of: found)), takesTitle: !self.headingsInText.contains(found)).body
    }

    /// The bytes of the file at `path`, forgiving the ways imported trees name files
    /// (percent escapes, a leading `/`, letter case); nil when there is no such file.
    /// An SVG comes cleaned (`SVGCleaner`), and one the cleaner refuses is not there: a
    /// hostile picture in a folder never reaches an export or the store.
    public func data(at path: String) throws -> Data? {
        guard let found = self.existingPath(path) else { return nil }
        let data = try Data(contentsOf: self.url(of: found))
        guard !found.lowercased().hasSuffix(".md"), ImageFormat(sniffing: data) == .svg else { return data }
        return try? SVGCleaner.clean(data).data
    }

    /// What cleaning the SVGs among `images` drops (a warning each) or refuses (an error).
    func svgProblems(in images: [String], display: (String) -> String = { $0 }) -> [BookProblem] {
        images.compactMap { path -> BookProblem? in
            guard let found = self.existingPath(path), let data = try? Data(contentsOf: self.url(of: found)),
                  ImageFormat(sniffing: data) == .svg else { return nil }
            do throws(SVGRefusal) {
                let cleaned = try SVGCleaner.clean(data)
                guard !cleaned.dropped.isEmpty else { return nil }
                return BookProblem(.warning, file: display(found), "SVG cleaned, dropped: \(cleaned.dropped.joined(separator: ", "))")
            } catch {
                return BookProblem(.error, file: display(found), "SVG refused: \(error.reason); left out")
            }
        }
    }

    func url(of path: String) -> URL {
        path.split(separator: "/").reduce(self.root) { $0.appendingPathComponent(String($1)) }
    }

    func isFile(_ path: String) -> Bool {
        guard self.staysInside(path) else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: self.url(of: path).path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: self.url(of: path).path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    /// False for a path whose symbolic links lead out of the book's folder.
    func staysInside(_ path: String) -> Bool {
        let target = self.url(of: path).resolvingSymlinksInPath().standardizedFileURL.path
        return target.hasPrefix(self.resolvedRootPrefix)
    }

    /// A book's own files (book.yaml; mdBook's book.toml, src/, SUMMARY.md) are read from
    /// inside it only, as its chapters and images are: a symbolic link out of the folder
    /// refuses the whole book.
    func refuseLinksOut(_ paths: [String]) throws {
        for path in paths where FileManager.default.fileExists(atPath: self.url(of: path).path) && !self.staysInside(path) {
            throw BookLoadError(BookProblem(.error, file: path, "is a symbolic link out of the book's folder; refused"))
        }
    }

    /// The normalised path of an existing file named by `path`: exactly, then with percent
    /// escapes decoded, then ignoring letter case. Never outside the root.
    func existingPath(_ path: String) -> String? {
        var candidates: [String] = []
        if let exact = BookPath.normalise(path) { candidates.append(exact) }
        if let decoded = path.removingPercentEncoding, let normal = BookPath.normalise(decoded) {
            candidates.append(normal)
        }
        for candidate in candidates where self.isFile(candidate) { return candidate }
        for candidate in candidates {
            if let found = self.caseInsensitiveMatch(candidate) { return found }
        }
        return nil
    }

    /// Walks the path one folder at a time, matching each name without regard to case.
    func caseInsensitiveMatch(_ path: String) -> String? {
        var matched: [String] = []
        for component in path.split(separator: "/") {
            let folder = matched.isEmpty ? self.root : self.url(of: matched.joined(separator: "/"))
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
                  let name = names.first(where: { $0.lowercased() == component.lowercased() })
            else { return nil }
            matched.append(name)
        }
        let found = matched.joined(separator: "/")
        return self.isFile(found) ? found : nil
    }

    /// Every file below `folder` (relative to the root), sorted, hidden files left out.
    func files(under folder: String) -> [String] {
        let base = self.url(of: folder)
        guard let enumerator = FileManager.default.enumerator(
            at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var found: [String] = []
        let prefix = base.standardizedFileURL.path
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            var relative = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            if relative.hasPrefix("/") { relative.removeFirst() }
            found.append(folder.isEmpty ? relative : folder + "/" + relative)
        }
        return found.sorted()
    }
}
