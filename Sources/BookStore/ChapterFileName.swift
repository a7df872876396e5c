import BookModel

/// The stable file name a chapter has when its book leaves the server as a book folder or
/// an EPUB (`chapters/<name>.md`, where an imported name may hold folders): kept from the
/// imported file, or made from the title when
/// the chapter was created through the API. Links between chapters name these files, so a
/// name, once given, stays when the chapter is renamed.
enum ChapterFileName {
    /// The name of an imported chapter: its path in the book without `.md` and without a
    /// leading `chapters/`, as it was (`chapters/intro.md` -> `intro`, an mdBook's
    /// `guide/setup.md` -> `guide/setup`), so that the links between chapters, which spell
    /// those paths, still find them.
    static func imported(path: String) -> String {
        var stem = path.lowercased().hasSuffix(".md") ? String(path.dropLast(3)) : path
        if stem.hasPrefix("chapters/") { stem.removeFirst("chapters/".count) }
        guard let normal = BookPath.normalise(stem), !normal.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else {
            return Self.slug(stem)
        }
        return normal
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
