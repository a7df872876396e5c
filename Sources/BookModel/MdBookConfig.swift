import Foundation

/// What an mdBook `book.toml` (`[book]` table) or a GitBook `book.json` says about the book.
///
/// Only the `[book]` table's plain keys are read (`title = "..."`, `authors = ["..."]`,
/// `language`, `description`, `src`): enough for the metadata, without a TOML library.
struct MdBookConfig {
    var title: String?
    var authors: [String] = []
    var language: String?
    var description: String?
    /// The folder holding SUMMARY.md (`src` in mdBook, `root` in GitBook).
    var sourceFolder: String?
    var problems: [BookProblem] = []

    init(folder: URL) {
        if let data = try? Data(contentsOf: folder.appendingPathComponent("book.toml")) {
            self.readToml(String(decoding: data, as: UTF8.self))
        } else if let data = try? Data(contentsOf: folder.appendingPathComponent("book.json")) {
            self.readJson(data)
        }
    }

    private mutating func readToml(_ text: String) {
        var table = ""
        var pending: (key: String, value: String, line: Int)?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var open = pending {  // a value (array) that spans lines
                open.value += " " + line
                pending = open
                if line.contains("]") {
                    self.assign(table, open.key, open.value, line: open.line)
                    pending = nil
                }
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                table = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("[") && !value.contains("]") {
                pending = (key, value, index + 1)
            } else {
                self.assign(table, key, value, line: index + 1)
            }
        }
    }

    private mutating func assign(_ table: String, _ key: String, _ value: String, line: Int) {
        guard table == "book" else { return }
        let strings = Self.tomlStrings(value)
        switch key {
        case "title": self.title = strings.first
        case "authors": self.authors = strings
        case "language": self.language = strings.first
        case "description": self.description = strings.first
        case "src": self.sourceFolder = strings.first
        default: return
        }
        if strings.isEmpty {
            self.problems.append(BookProblem(.warning, file: "book.toml", line: line, "could not read '\(key)'; ignored"))
        }
    }

    /// The quoted strings of a TOML value: `"a"`, `'b'`, `["a", "b"]` (basic escapes only).
    static func tomlStrings(_ value: String) -> [String] {
        var found: [String] = []
        var current: String?
        var quote: Character = "\""
        var escaped = false
        for character in value {
            if var text = current {
                if escaped {
                    switch character {
                    case "n": text.append("\n")
                    case "t": text.append("\t")
                    default: text.append(character)
                    }
                    escaped = false
                } else if character == "\\" && quote == "\"" {
                    escaped = true
                } else if character == quote {
                    found.append(text)
                    current = nil
                    continue
                } else {
                    text.append(character)
                }
                current = text
            } else if character == "\"" || character == "'" {
                quote = character
                current = ""
            } else if character == "#" {
                break
            }
        }
        return found
    }

    private mutating func readJson(_ data: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            self.problems.append(BookProblem(.warning, file: "book.json", "not a JSON object; ignored"))
            return
        }
        self.title = object["title"] as? String
        if let author = object["author"] as? String { self.authors = [author] }
        if let authors = object["authors"] as? [String] { self.authors = authors }
        self.language = object["language"] as? String
        self.description = object["description"] as? String
        self.sourceFolder = object["root"] as? String
    }
}
