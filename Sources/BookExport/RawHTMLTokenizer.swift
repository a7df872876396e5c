/// Splits raw HTML found in Markdown into tags and text, decoding entities, so that the
/// renderer can rebuild it as well-formed XHTML (or drop what cannot be).
struct RawHTMLTokenizer {
    enum Token: Equatable {
        case start(name: String, attributes: [(String, String)], selfClosing: Bool)
        case end(name: String)
        case text(String)
        /// Content of a `<script>`/`<style>`-like element, dropped with its tags; `closed` is
        /// false when its end tag is not in this piece of HTML (cmark splits inline HTML).
        case rawText(name: String, closed: Bool)

        static func == (a: Token, b: Token) -> Bool {
            switch (a, b) {
            case let (.start(n1, a1, s1), .start(n2, a2, s2)):
                n1 == n2 && s1 == s2 && a1.map { [$0.0, $0.1] } == a2.map { [$0.0, $0.1] }
            case let (.end(n1), .end(n2)): n1 == n2
            case let (.text(t1), .text(t2)): t1 == t2
            case let (.rawText(n1, c1), .rawText(n2, c2)): n1 == n2 && c1 == c2
            default: false
            }
        }
    }

    /// Elements whose content is not HTML; their content is skipped up to the end tag.
    static let rawTextElements: Set<String> = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"]

    /// Tokens with the line (0-based, relative to the start of `html`) each starts on.
    static func tokenize(_ html: String) -> [(token: Token, line: Int)] {
        let s = Array(html.unicodeScalars)
        var out: [(Token, Int)] = []
        var i = 0
        var line = 0
        var text = ""
        var textLine = 0

        func flushText() {
            if !text.isEmpty { out.append((.text(Self.decodeEntities(text)), textLine)) }
            text = ""
        }
        func countLines(_ from: Int, _ to: Int) {
            for k in from..<min(to, s.count) where s[k] == "\n" { line += 1 }
        }
        func find(_ needle: String, from start: Int) -> Int? {
            let n = Array(needle.unicodeScalars)
            var k = start
            while k + n.count <= s.count {
                var match = true
                for j in 0..<n.count where Self.lower(s[k + j]) != n[j] {
                    match = false
                    break
                }
                if match { return k }
                k += 1
            }
            return nil
        }

        while i < s.count {
            let c = s[i]
            guard c == "<" else {
                if text.isEmpty { textLine = line }
                if c == "\n" { line += 1 }
                text.unicodeScalars.append(c)
                i += 1
                continue
            }
            // Comments, doctypes, processing instructions and CDATA are dropped.
            if i + 1 < s.count, s[i + 1] == "!" || s[i + 1] == "?" {
                flushText()
                let isComment = i + 3 < s.count && s[i + 2] == "-" && s[i + 3] == "-"
                let close = isComment ? find("-->", from: i + 4).map { $0 + 3 } : find(">", from: i).map { $0 + 1 }
                let end = close ?? s.count
                countLines(i, end)
                i = end
                continue
            }
            if let (token, end) = Self.parseTag(s, at: i) {
                flushText()
                out.append((token, line))
                countLines(i, end)
                i = end
                if case .start(let name, _, let selfClosing) = token, !selfClosing, Self.rawTextElements.contains(name) {
                    let close = find("</\(name)", from: i) ?? s.count
                    let after = close < s.count ? (find(">", from: close).map { $0 + 1 } ?? s.count) : s.count
                    out[out.count - 1] = (.rawText(name: name, closed: close < s.count), out[out.count - 1].1)
                    countLines(i, after)
                    i = after
                }
                continue
            }
            // A `<` that starts no tag is text.
            if text.isEmpty { textLine = line }
            text.unicodeScalars.append(c)
            i += 1
        }
        flushText()
        return out
    }

    private static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(c.value + 32)! : c
    }

    private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39) || c == "-" || c == "_" || c == ":" || c == "."
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" }

    /// Parses `<name attr=...>` or `</name>` at `start`; nil when it is not a tag.
    private static func parseTag(_ s: [Unicode.Scalar], at start: Int) -> (Token, Int)? {
        var i = start + 1
        let isEnd = i < s.count && s[i] == "/"
        if isEnd { i += 1 }
        guard i < s.count, s[i].properties.isAlphabetic, s[i].isASCII else { return nil }
        var name = ""
        while i < s.count, isNameChar(s[i]) {
            name.unicodeScalars.append(lower(s[i]))
            i += 1
        }
        if isEnd {
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count, s[i] == ">" else { return nil }
            return (.end(name: name), i + 1)
        }
        var attributes: [(String, String)] = []
        var selfClosing = false
        while true {
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count else { return nil }
            if s[i] == ">" { i += 1; break }
            if s[i] == "/", i + 1 < s.count, s[i + 1] == ">" { selfClosing = true; i += 2; break }
            var attr = ""
            while i < s.count, !isSpace(s[i]), s[i] != "=", s[i] != ">", s[i] != "/" || attr.isEmpty {
                if s[i] == "<" || s[i] == "\"" || s[i] == "'" { return nil }
                attr.unicodeScalars.append(lower(s[i]))
                i += 1
            }
            if attr.isEmpty { return nil }
            while i < s.count, isSpace(s[i]) { i += 1 }
            var value = ""
            if i < s.count, s[i] == "=" {
                i += 1
                while i < s.count, isSpace(s[i]) { i += 1 }
                guard i < s.count else { return nil }
                if s[i] == "\"" || s[i] == "'" {
                    let quote = s[i]
                    i += 1
                    while i < s.count, s[i] != quote { value.unicodeScalars.append(s[i]); i += 1 }
                    guard i < s.count else { return nil }
                    i += 1
                } else {
                    while i < s.count, !isSpace(s[i]), s[i] != ">" { value.unicodeScalars.append(s[i]); i += 1 }
                }
            }
            if !attributes.contains(where: { $0.0 == attr }) {
                attributes.append((attr, decodeEntities(value)))
            }
        }
        return (.start(name: name, attributes: attributes, selfClosing: selfClosing), i)
    }

    /// `name`, `#123` or `#x1F`: what may stand between `&` and `;`.
    private static func isEntity(_ body: Substring) -> Bool {
        if body.hasPrefix("#x") || body.hasPrefix("#X") {
            return body.count > 2 && body.count <= 8 && body.dropFirst(2).allSatisfy(\.isHexDigit)
        }
        if body.hasPrefix("#") { return body.count > 1 && body.count <= 8 && body.dropFirst().allSatisfy { $0.isASCII && $0.isNumber } }
        return !body.isEmpty && body.first!.isASCII && body.first!.isLetter && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Replaces `&name;`, `&#n;` and `&#xh;` with their characters. Named entities are
    /// decoded by cmark itself (it carries HTML's full table); unknown ones stay as text.
    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            if let semi = after.prefix(34).firstIndex(of: ";"), Self.isEntity(after[after.index(after: amp)..<semi]) {
                let entity = String(after[...semi])
                let document = MarkdownDocument(entity)
                let decoded = withExtendedLifetime(document) { document.root.plainText }
                if !decoded.isEmpty, decoded != entity {
                    out += decoded
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after.dropFirst()
        }
        out += rest
        return out
    }
}
