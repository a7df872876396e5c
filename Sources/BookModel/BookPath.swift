import Foundation

/// Paths inside a book: always relative to the book's root, `/`-separated, normalised, and
/// never escaping the root. Links in chapter text are resolved with these rules, so the
/// checker, the readers and the exporter agree on what a link names.
public enum BookPath {
    /// `a/./b/../c` -> `a/c`; a leading `/` means the book's root. Nil when the path climbs
    /// out of the root or is empty.
    public static func normalise(_ path: String) -> String? {
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(component)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The folder of a file path (`chapters/a.md` -> `chapters`, `a.md` -> ``).
    public static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "" }
        return String(file[..<slash])
    }

    /// Resolves a link destination written in the file at `file` to a path inside the book:
    /// percent-escapes decoded, `?query` and `#fragment` dropped, `/x` taken from the root.
    /// Nil for remote or special links (`http:`, `mailto:`, `data:`), pure `#anchors`, and
    /// paths that leave the book.
    public static func resolve(_ destination: String, from file: String) -> String? {
        let target = Self.localPart(of: destination)
        guard !target.isEmpty, !Self.isExternal(destination) else { return nil }
        let decoded = target.contains("%") ? target.removingPercentEncoding ?? target : target
        if decoded.hasPrefix("/") { return Self.normalise(decoded) }
        let folder = Self.directory(of: file)
        return Self.normalise(folder.isEmpty ? decoded : folder + "/" + decoded)
    }

    /// The paths a destination written in `file` may name, in the order to try them:
    /// relative to the file (what Markdown previewers do, `../images/x.png`), then from the
    /// book's root (`images/x.png`, the form the server's chapters use).
    public static func candidates(for destination: String, from file: String) -> [String] {
        var found: [String] = []
        if let relative = Self.resolve(destination, from: file) { found.append(relative) }
        if let fromRoot = Self.resolve(destination, from: ""), !found.contains(fromRoot) { found.append(fromRoot) }
        return found
    }

    /// The first of `candidates(for:from:)` that `exists` accepts, else the relative one.
    public static func locate(_ destination: String, from file: String, exists: (String) -> Bool) -> String? {
        let found = Self.candidates(for: destination, from: file)
        return found.first(where: exists) ?? found.first
    }

    /// The destination without its `#fragment` and `?query`.
    public static func localPart(of destination: String) -> String {
        let end = destination.utf8.firstIndex { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") } ?? destination.endIndex
        var kept = destination[..<end]
        while kept.first == " " || kept.first == "\t" { kept.removeFirst() }
        while kept.last == " " || kept.last == "\t" { kept.removeLast() }
        return String(kept)
    }

    /// True for destinations with a scheme (`https:`, `mailto:`, `data:`) or `//host`.
    public static func isExternal(_ destination: String) -> Bool {
        if destination.hasPrefix("//") { return true }
        guard let colon = destination.firstIndex(of: ":") else { return false }
        let scheme = destination[..<colon]
        return !scheme.isEmpty && scheme.count > 1
            && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// True for `http(s)://` and `//host` destinations: things an exporter would have to fetch.
    public static func isRemote(_ destination: String) -> Bool {
        let lower = destination.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("//")
    }
}
