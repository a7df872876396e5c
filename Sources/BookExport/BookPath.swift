/// Paths inside a book: how a link or image reference written in a chapter names a file.
enum BookPath {
    /// The folder of a book-relative path (`chapters/a.md` -> `chapters`).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// The last component without its extension (`chapters/Über uns.md` -> `Über uns`).
    static func stem(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// Resolves `reference` (percent-encoded or not, relative to `folder`, or starting with
    /// `/` for the book root) to a normalised book-relative path; nil when it escapes the book.
    static func resolve(_ reference: String, from folder: String) -> String? {
        let decoded = reference.removingPercentEncoding ?? reference
        var parts: [Substring] = decoded.hasPrefix("/") ? [] : folder.split(separator: "/")
        for component in decoded.split(separator: "/", omittingEmptySubsequences: true) {
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

    /// Whether a link target names something outside the book (`https:`, `mailto:`, `//host`).
    static func isExternal(_ url: String) -> Bool {
        if url.hasPrefix("//") { return true }
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            && scheme.first!.isLetter
    }

    /// Percent-encodes what may not appear in an href as written (spaces, non-ASCII,
    /// quotes), keeping what already is encoded.
    static func encodeHref(_ url: String) -> String {
        var out = ""
        for byte in url.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-_.~!*'();:@&=+$,/?#%[]".contains(c)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
