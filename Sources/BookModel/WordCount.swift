import CMarkGFM

/// Words as a writer counts them, in Markdown: the words of what a reader sees, not of the
/// markup around them.
///
/// - A word is a run of letters (with their combining marks) and digits. An apostrophe
///   (`'` or `’`) or a hyphen (`-`, `‐`, `‑`) between two such characters belongs to the word:
///   `don't`, `well-known` and `3-4` are one word each; `--` or a space ends it.
/// - Each CJK ideograph, hiragana and katakana character is a word of its own (CJK text has
///   no spaces; this is how CJK writers count).
/// - Counted: the text of paragraphs, headings, lists, quotes, tables, footnotes, link texts,
///   inline code and code blocks, and the text between raw HTML tags. Not counted: Markdown
///   punctuation and markers (`#`, `*`, `>`, `-`, `1.`, `|`), link destinations, image alt
///   texts and sources, HTML tags and their attributes.
/// - Emphasis inside a word does not split it (`in**cred**ible` is one word); a line break
///   and a block boundary do.
public enum WordCount {
    /// The number of words of a Markdown text.
    public static func count(markdown: String) -> Int {
        MarkdownScan.withDocument(markdown) { document in
            var counter = WordCounter()
            var image: OpaquePointer?
            for (node, entering) in MarkdownWalk(document) {
                if let skipped = image {
                    if node == skipped, !entering { image = nil }
                    continue
                }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                    counter.feed(MarkdownScan.literal(of: node))
                case CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK:
                    break
                case CMARK_NODE_IMAGE:
                    counter.end()
                    if entering { image = node }
                case CMARK_NODE_CODE_BLOCK:
                    counter.end()
                    counter.feed(MarkdownScan.literal(of: node))
                    counter.end()
                case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                    counter.end()
                    counter.feedWithoutTags(MarkdownScan.literal(of: node))
                    counter.end()
                default:
                    // Strikethrough is inline formatting; every other node (blocks, breaks,
                    // table cells) separates words.
                    if String(cString: cmark_node_get_type_string(node)) != "strikethrough" { counter.end() }
                }
            }
            return counter.count
        }
    }

    /// The number of words of plain text (no markup).
    public static func count(plain text: String) -> Int {
        var counter = WordCounter()
        counter.feed(text)
        return counter.count
    }
}

/// The state machine behind `WordCount`, fed text in pieces that may split a word.
struct WordCounter {
    private(set) var count = 0
    private var inWord = false
    /// An apostrophe or hyphen right after a word character: the word goes on if a word
    /// character follows.
    private var joined = false

    mutating func feed(_ text: String) {
        for scalar in text.unicodeScalars { self.feed(scalar) }
    }

    /// Raw HTML: the text outside `<...>` tags.
    mutating func feedWithoutTags(_ html: String) {
        var inTag = false
        for scalar in html.unicodeScalars {
            if inTag {
                if scalar == ">" { inTag = false }
            } else if scalar == "<" {
                inTag = true
                self.end()
            } else {
                self.feed(scalar)
            }
        }
    }

    /// Ends the current word (a boundary that is not a character: a break, a block's end).
    mutating func end() {
        self.inWord = false
        self.joined = false
    }

    mutating func feed(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        // ASCII first: most text is.
        if value < 0x80 {
            if (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) || (0x30...0x39).contains(value) {
                self.wordCharacter()
            } else if value == 0x27 || value == 0x2D {
                self.joiner()
            } else {
                self.end()
            }
            return
        }
        if Self.isCJK(scalar) {
            self.count += 1
            self.end()
            return
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            // A combining mark belongs to the letter before it.
            if self.inWord && !self.joined { return }
            self.end()
        default:
            if properties.isAlphabetic || properties.numericType != nil {
                self.wordCharacter()
            } else if value == 0x2019 || value == 0x2010 || value == 0x2011 {
                self.joiner()
            } else {
                self.end()
            }
        }
    }

    private mutating func wordCharacter() {
        if !self.inWord { self.count += 1 }
        self.inWord = true
        self.joined = false
    }

    private mutating func joiner() {
        if self.inWord && !self.joined {
            self.joined = true
        } else {
            self.end()
        }
    }

    /// Han ideographs, hiragana and katakana.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0x3041...0x3096).contains(value) || (0x30A1...0x30FA).contains(value) || (0x31F0...0x31FF).contains(value) || (0xFF66...0xFF9D).contains(value)
            || scalar.properties.isIdeographic
    }
}
