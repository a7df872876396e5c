import BookModel

/// The stable file name a chapter has when its book leaves the server as a book folder or
/// an EPUB (`chapters/<name>.md`): kept from the imported file, or made from the title when
/// the chapter was created through the API. Links between chapters name these files, so a
/// name, once given, stays when the chapter is renamed.
enum ChapterFileName {
    /// The name of an imported chapter: its file's name without `.md`, as it was (links in
    /// the book's texts spell it that way).
    static func imported(path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let stem = last.lowercased().hasSuffix(".md") ? String(last.dropLast(3)) : last
        return stem.isEmpty || stem.hasPrefix(".") ? Self.slug(stem) : stem
    }

    /// A name made from a title; `chapter` when the title has no ASCII letter or digit.
    static func slug(_ title: String) -> String {
        FileSlug.make(title, fallback: "chapter")
    }

    /// `name`, or `name-2`, `name-3`... when `taken` (compared without regard to case, for
    /// case-insensitive file systems) already holds it. Records the result in `taken`.
    static func unique(_ name: String, taken: inout Set<String>) -> String {
        var candidate = name
        var n = 1
        while taken.contains(candidate.lowercased()) {
            n += 1
            candidate = "\(name)-\(n)"
        }
        taken.insert(candidate.lowercased())
        return candidate
    }
}
