import BookModel

/// The book's own CSS under the link rule: a declaration whose `url()` (or `image-set()`,
/// `image()`, `src()` string) names a scheme `LinkScheme` does not allow is dropped, as is
/// every `@import` (a remote sheet is not fetched, a local one is not shipped: the export
/// carries one stylesheet), old IE `expression()` and the `behavior` and `-moz-binding`
/// properties (which ran script). Each drop is a warning with the stylesheet's line.
///
/// URLs are read as a browser reads them: CSS escapes decoded (`u\72l(`, `jav\61script:`),
/// comments skipped, quoted or not.
struct StylesheetRules {
    /// The problems' file: a manuscript carries the stylesheet's text, not its path.
    static let file = "stylesheet"

    private(set) var css: String
    private(set) var problems: [BookProblem] = []

    init(_ css: String) {
        var scanner = Scanner(Array(css.unicodeScalars))
        scanner.run()
        self.problems = scanner.drops.map { BookProblem(.warning, file: Self.file, line: $0.line, $0.message) }
        var kept = String.UnicodeScalarView()
        var position = 0
        for drop in scanner.drops.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            if drop.range.lowerBound > position { kept.append(contentsOf: scanner.input[position..<drop.range.lowerBound]) }
            position = max(position, drop.range.upperBound)
        }
        if position < scanner.input.count { kept.append(contentsOf: scanner.input[position...]) }
        self.css = String(kept)
    }

    private struct Drop {
        var range: Range<Int>
        var line: Int
        var message: String
    }

    private struct Scanner {
        let input: [Unicode.Scalar]
        var i = 0
        var line = 1
        var drops: [Drop] = []
        /// Where the current statement (declaration, rule or at-rule) began.
        var statementStart = 0
        var statementHasToken = false
        /// Names of the functions open around the current token.
        var functions: [String] = []

        init(_ input: [Unicode.Scalar]) { self.input = input }

        static let urlFunctions: Set<String> = ["url", "src", "image", "image-set", "-webkit-image-set", "cross-fade"]
        static let scriptProperties: Set<String> = ["behavior", "-moz-binding"]

        mutating func run() {
            while self.i < self.input.count {
                let c = self.input[self.i]
                let start = self.i
                switch c {
                case "\n":
                    self.line += 1
                    self.i += 1
                case " ", "\t", "\r", "\u{0C}":
                    self.i += 1
                case "/" where self.peek(1) == "*":
                    self.skipComment()
                case "{", "}", ";":
                    self.i += 1
                    self.functions.removeAll()
                    self.statementStart = self.i
                    self.statementHasToken = false
                case "(":
                    self.i += 1
                    self.functions.append("")
                case ")":
                    self.i += 1
                    if !self.functions.isEmpty { self.functions.removeLast() }
                case "\"", "'":
                    let value = self.string()
                    if let function = self.functions.last, Self.urlFunctions.contains(function) {
                        self.check(url: value, at: start)
                    }
                    self.statementHasToken = true
                case "@":
                    self.i += 1
                    let name = self.name().lowercased()
                    if name == "import", !self.statementHasToken {
                        self.dropStatement(at: start, "@import dropped: the export carries the book's stylesheet alone")
                    } else {
                        self.statementHasToken = true
                    }
                default:
                    if self.startsName {
                        let wasFirst = !self.statementHasToken
                        let name = self.name().lowercased()
                        self.statementHasToken = true
                        if self.i < self.input.count, self.input[self.i] == "(" {
                            self.i += 1
                            if name == "url" {
                                self.urlArgument(at: start)
                            } else if name == "expression" {
                                self.dropStatement(at: start, "expression() dropped: it runs script")
                            } else {
                                self.functions.append(name)
                            }
                        } else if wasFirst, Self.scriptProperties.contains(name) {
                            self.dropStatement(at: start, "'\(name)' dropped: it runs script")
                        }
                    } else {
                        self.i += 1
                        self.statementHasToken = true
                    }
                }
            }
        }

        private func peek(_ offset: Int) -> Unicode.Scalar? {
            self.i + offset < self.input.count ? self.input[self.i + offset] : nil
        }

        private var startsName: Bool {
            let c = self.input[self.i]
            if c == "\\" { return self.peek(1).map { $0 != "\n" } ?? false }
            if c == "-" {
                guard let next = self.peek(1) else { return false }
                return next == "-" || next.isNameStart || (next == "\\" && self.peek(2) != "\n")
            }
            return c.isNameStart
        }

        private mutating func skipComment() {
            self.i += 2
            while self.i < self.input.count, !(self.input[self.i] == "*" && self.peek(1) == "/") {
                if self.input[self.i] == "\n" { self.line += 1 }
                self.i += 1
            }
            self.i = min(self.i + 2, self.input.count)
        }

        /// A name (ident) with its escapes decoded.
        private mutating func name() -> String {
            var out = String.UnicodeScalarView()
            while self.i < self.input.count {
                let c = self.input[self.i]
                if c == "\\", let next = self.peek(1), next != "\n" {
                    out.append(self.escape())
                } else if c.isNameStart || c == "-" || ("0"..."9").contains(c) {
                    out.append(c)
                    self.i += 1
                } else {
                    break
                }
            }
            return String(out)
        }

        /// Reads `\` and what follows: up to six hex digits and one space, or one character.
        private mutating func escape() -> Unicode.Scalar {
            self.i += 1
            var hex = ""
            while hex.count < 6, self.i < self.input.count, self.input[self.i].properties.isASCIIHexDigit {
                hex.unicodeScalars.append(self.input[self.i])
                self.i += 1
            }
            if hex.isEmpty {
                guard self.i < self.input.count else { return "\u{FFFD}" }
                let c = self.input[self.i]
                self.i += 1
                return c
            }
            if self.i < self.input.count, [" ", "\t", "\n"].contains(self.input[self.i]) {
                if self.input[self.i] == "\n" { self.line += 1 }
                self.i += 1
            }
            let value = UInt32(hex, radix: 16) ?? 0
            return value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}"
        }

        private mutating func string() -> String {
            let quote = self.input[self.i]
            self.i += 1
            var out = String.UnicodeScalarView()
            while self.i < self.input.count {
                let c = self.input[self.i]
                if c == quote {
                    self.i += 1
                    break
                }
                if c == "\n" { break }  // a bad string ends at the line's end
                if c == "\\" {
                    if self.peek(1) == "\n" {
                        self.i += 2
                        self.line += 1
                    } else {
                        out.append(self.escape())
                    }
                    continue
                }
                out.append(c)
                self.i += 1
            }
            return String(out)
        }

        /// After `url(`: a quoted string or an unquoted URL up to `)`.
        private mutating func urlArgument(at start: Int) {
            while self.i < self.input.count, [" ", "\t", "\n"].contains(self.input[self.i]) {
                if self.input[self.i] == "\n" { self.line += 1 }
                self.i += 1
            }
            if self.i < self.input.count, self.input[self.i] == "\"" || self.input[self.i] == "'" {
                self.functions.append("url")
                return  // the string comes next, checked as an argument of url()
            }
            var out = String.UnicodeScalarView()
            while self.i < self.input.count, self.input[self.i] != ")" {
                let c = self.input[self.i]
                if c == "\\", self.peek(1) != "\n" {
                    out.append(self.escape())
                    continue
                }
                if c == "\n" { self.line += 1 }
                out.append(c)
                self.i += 1
            }
            self.i = min(self.i + 1, self.input.count)
            self.check(url: String(out), at: start)
        }

        private mutating func check(url: String, at start: Int) {
            let url = url.trimmingSpaces
            guard !LinkScheme.isAllowed(url) else { return }
            let scheme = LinkScheme.scheme(of: url) ?? ""
            self.dropStatement(at: start, "url(\(scheme.prefix(20)):...) dropped (links go to http, https or mailto addresses, or inside the book)")
        }

        /// Drops the statement around `start`: up to and with its `;`, up to its block's
        /// `}`, or (a rule's prelude) with the whole `{...}` block.
        private mutating func dropStatement(at start: Int, _ message: String) {
            let line = self.line
            let from = self.statementStart
            var depth = 0
            var j = max(self.i, start)
            scan: while j < self.input.count {
                switch self.input[j] {
                case "\n": self.line += 1
                case "{": depth += 1
                case "}":
                    if depth == 0 { break scan }
                    depth -= 1
                    if depth == 0 {
                        j += 1
                        break scan
                    }
                case ";" where depth == 0:
                    j += 1
                    break scan
                case "\"", "'":
                    let quote = self.input[j]
                    j += 1
                    while j < self.input.count, self.input[j] != quote, self.input[j] != "\n" {
                        if self.input[j] == "\\" { j += 1 }
                        j += 1
                    }
                case "/" where j + 1 < self.input.count && self.input[j + 1] == "*":
                    j += 2
                    while j + 1 < self.input.count, !(self.input[j] == "*" && self.input[j + 1] == "/") {
                        if self.input[j] == "\n" { self.line += 1 }
                        j += 1
                    }
                    j += 1
                default: break
                }
                j += 1
            }
            j = min(j, self.input.count)
            self.drops.append(Drop(range: from..<j, line: line, message: message))
            self.i = j
            self.functions.removeAll()
            self.statementStart = j
            self.statementHasToken = false
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isNameStart: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" || self.value >= 0x80
    }
}
