import Foundation

/// A chapter file as read from disk, normalised the way the book folder rules say: BOM
/// stripped, CRLF converted, and a leading `# Title` line taken out of the text as the
/// title. The readers and the folder source share it, so a chapter's text is the same
/// whether it is checked now or read later for export.
struct ChapterFile {
    /// The whole file after BOM and line-ending normalisation; its lines are the file's.
    var content: String
    var hadBOM = false
    var hadCRLF = false
    var isValidUTF8 = true
    /// The raw text of a leading level-1 ATX heading (not one made only of images).
    var heading: String?
    /// 1-based line of that heading.
    var headingLine: Int?
    /// The chapter's text: the content without the heading line and one blank line after it.
    var body: String

    /// `takesTitle: false` leaves a leading heading in the text (book.yaml's `heading: text`).
    init(data: Data, takesTitle: Bool = true) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
            self.hadBOM = true
        }
        var text: String
        if let decoded = String(data: bytes, encoding: .utf8) {
            text = decoded
        } else {
            text = String(decoding: bytes, as: UTF8.self)
            self.isValidUTF8 = false
        }
        if bytes.withUnsafeBytes({ raw in raw.baseAddress.map { memchr($0, 13, raw.count) != nil } ?? false }) {
            self.hadCRLF = true
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        self.content = text
        self.body = text
        guard takesTitle else { return }

        // Skip blank lines, then look for `# Title` (up to three spaces of indent).
        var lineNumber = 1
        var index = text.startIndex
        while index < text.endIndex {
            let end = text[index...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[index..<end]
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                guard end < text.endIndex else { return }
                index = text.index(after: end)
                lineNumber += 1
                continue
            }
            guard let title = Self.atxLevelOneTitle(line), !MarkdownScan.isOnlyImages(title) else { return }
            self.heading = title
            self.headingLine = lineNumber
            var rest = end < text.endIndex ? text.index(after: end) : end
            if rest < text.endIndex, text[rest] == "\n" { rest = text.index(after: rest) }
            self.body = String(text[rest...])
            return
        }
    }

    /// The content of `# Title` / `#   Title  ##` (CommonMark ATX rules, level 1 only), raw.
    static func atxLevelOneTitle(_ line: Substring) -> String? {
        var rest = line.drop { $0 == " " }
        guard line.count - rest.count <= 3, rest.first == "#" else { return nil }
        rest = rest.dropFirst()
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var title = rest.trimmingCharacters(in: .whitespaces)
        // A closing sequence of #s counts only when preceded by a space (or is all there is).
        let withoutClosing = title.reversed().drop { $0 == "#" }
        if withoutClosing.isEmpty {
            title = ""
        } else if withoutClosing.count < title.count, withoutClosing.first == " " || withoutClosing.first == "\t" {
            title = String(withoutClosing.reversed()).trimmingCharacters(in: .whitespaces)
        }
        return title
    }

    /// Whether `title` survives being written as `# title` and read back unchanged.
    static func canBeHeading(_ title: String) -> Bool {
        guard !title.isEmpty, !title.contains("\n"), !title.contains("\r"),
              title.trimmingCharacters(in: .whitespaces) == title,
              let back = Self.atxLevelOneTitle("# \(title)"[...]), back == title
        else { return false }
        return !MarkdownScan.isOnlyImages(title)
    }
}

/// Titles for chapters that do not name one.
enum ChapterTitle {
    /// `chapters/02-getting_started.md` -> `02 getting started`: the last resort, readable.
    static func fromFileName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.lowercased().hasSuffix(".md") ? String(name.dropLast(3)) : name
        let words = stem.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
