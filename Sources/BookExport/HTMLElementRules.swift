/// What raw HTML may contain once it is XHTML in an EPUB: the elements kept, where each may
/// stand, and which attributes survive. Anything else is dropped with a warning.
enum HTMLElementRules {
    static let phrasing: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
        "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u",
        "var", "wbr", "ruby", "rt", "rp",
    ]
    static let flow: Set<String> = [
        "address", "article", "aside", "blockquote", "details", "summary", "div", "dl", "dt", "dd",
        "figure", "figcaption", "footer", "header", "hr", "ol", "ul", "li", "p", "pre", "section",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
        "h1", "h2", "h3", "h4", "h5", "h6",
    ]
    /// Old presentational elements kept as their modern equivalent; `time` is a `span`, as
    /// its `datetime` is not kept and its text is rarely a date HTML can read.
    static let renamed: [String: String] = ["center": "div", "strike": "s", "tt": "code", "big": "strong", "font": "span", "time": "span"]
    static let void: Set<String> = ["br", "hr", "img", "wbr", "col"]

    /// Elements whose content may be blocks (flow content); everything else takes phrasing
    /// content only, or (lists, tables) only particular children.
    static let takesFlow: Set<String> = [
        "body", "section", "article", "aside", "div", "blockquote", "li", "dd", "td", "th", "figure",
        "figcaption", "details", "header", "footer", "address", "caption", "nav",
    ]

    /// The parents an element needs, when it cannot stand just anywhere.
    static let requiredParents: [String: Set<String>] = [
        "li": ["ul", "ol"], "dt": ["dl"], "dd": ["dl"], "tr": ["table", "thead", "tbody", "tfoot"],
        "td": ["tr"], "th": ["tr"], "thead": ["table"], "tbody": ["table"], "tfoot": ["table"],
        "caption": ["table"], "colgroup": ["table"], "col": ["colgroup", "table"], "summary": ["details"],
        "figcaption": ["figure"], "rt": ["ruby"], "rp": ["ruby"],
    ]

    /// Elements whose only allowed children are other particular elements (no text).
    static let structural: Set<String> = ["ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"]

    /// Kept attributes. Not kept: `style` (EPUBCheck checks its CSS), event handlers, `cite`
    /// and `datetime` (EPUBCheck treats `cite` as a remote resource to fetch).
    static let globalAttributes: Set<String> = ["id", "class", "title", "lang", "dir"]
    static let elementAttributes: [String: Set<String>] = [
        "a": ["href"], "img": ["src", "alt", "width", "height"], "td": ["colspan", "rowspan"],
        "th": ["colspan", "rowspan", "scope"], "ol": ["start", "reversed"],
        "col": ["span"], "colgroup": ["span"], "data": ["value"], "details": ["open"],
    ]
    /// Whether `value` is valid for `attribute` where HTML restricts it (numbers, keywords,
    /// language tags); values that would make EPUBCheck complain are dropped.
    static func accepts(_ attribute: String, _ value: String) -> Bool {
        switch attribute {
        case "width", "height": return UInt(value) != nil
        case "colspan", "rowspan", "span": return (UInt(value) ?? 0) > 0
        case "start": return Int(value) != nil
        case "dir": return ["ltr", "rtl", "auto"].contains(value)
        case "scope": return ["row", "col", "rowgroup", "colgroup"].contains(value)
        case "lang":
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            return value.isEmpty || parts.allSatisfy { part in
                (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            } && parts[0].allSatisfy(\.isLetter)
        default: return true
        }
    }
    /// Boolean attributes, written `name="name"` in XHTML.
    static let boolean: Set<String> = ["reversed", "open"]
}
