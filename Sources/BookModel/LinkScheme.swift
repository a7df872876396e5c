/// Which URLs a chapter may link to: `http:`, `https:`, `mailto:`, and URLs without a
/// scheme (paths inside the book, `#fragments`, `//host`). Anything else (`javascript:`,
/// `vbscript:`, `data:`, `file:`...) is dropped, keeping the link's text, with a warning.
///
/// The scheme is read as a browser reads it from the attribute the exporter writes: the
/// value is already entity-decoded (cmark decodes link destinations, `RawHTMLTokenizer`
/// attribute values), the control characters XML cannot carry are dropped (as
/// `XMLEscaping` drops them), leading and trailing spaces and control characters are
/// stripped, tabs and newlines anywhere are removed, and letter case does not matter. So
/// `JaVa\tscript:`, `jav&#x61;script:` and `javascript&colon;` are all `javascript:`.
/// The one rule for the exports, the preview, the book's CSS and `booksprint check`.
public enum LinkScheme {
    public static let allowed: Set<String> = ["http", "https", "mailto"]

    /// The lower-cased scheme a browser finds in `url`, or nil for a URL without one.
    public static func scheme(of url: String) -> String? {
        var scalars: [Unicode.Scalar] = []
        var started = false
        var colon = false
        for scalar in url.unicodeScalars {
            let v = scalar.value
            // Leading spaces and C0 controls are stripped; tab, newline and CR vanish
            // anywhere, and XML drops the other controls.
            if v <= 0x20 && (!started || v != 0x20) { continue }
            started = true
            if scalar == ":" {
                colon = true
                break
            }
            // A scheme is short; a long run without a colon is a path.
            if scalars.count == 64 { return nil }
            scalars.append(scalar)
        }
        guard colon, let first = scalars.first, first.isASCIILetter,
            scalars.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        var scheme = ""
        scheme.unicodeScalars.append(contentsOf: scalars)
        return scheme.lowercased()
    }

    /// Whether a link to `url` may be written.
    public static func isAllowed(_ url: String) -> Bool {
        guard let scheme = Self.scheme(of: url) else { return true }
        return Self.allowed.contains(scheme)
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
