import CMarkGFM
import Foundation

/// A link or image found in Markdown text, with the line it starts on.
struct MarkdownReference: Equatable {
    enum Kind: Equatable { case link, image }

    var kind: Kind
    var destination: String
    var line: Int
    /// The image's alt text (images only; empty when it has none).
    var altText: String = ""
    /// The link's text as plain text (links only).
    var text: String = ""
}

/// Reads Markdown structure through cmark-gfm (the parser the exporter uses), so that
/// the checker sees exactly the links and images the exported book will have.
enum MarkdownScan {
    /// Registering the GFM extensions is not thread-safe in cmark-gfm; a static runs once.
    private static let extensionsRegistered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Parses `text` (GFM tables, strikethrough, autolinks, footnotes) and hands the
    /// document to `body`; the tree is freed afterwards.
    static func withDocument<T>(_ text: String, _ body: (OpaquePointer) -> T) -> T {
        _ = Self.extensionsRegistered
        let parser = cmark_parser_new(CMARK_OPT_FOOTNOTES)!
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink"] {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var copy = text
        copy.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        let document = cmark_parser_finish(parser)!
        defer { cmark_node_free(document) }
        return body(document)
    }

    /// Every link and image of the text, in order of lines, and (one parse for both) the
    /// references with spaces that Markdown reads as plain text.
    static func references(in text: String) -> (parsed: [MarkdownReference], spaced: [MarkdownReference]) {
        var rawLines = Set<Int>()
        let parsed = Self.parsedReferences(in: text, rawLines: &rawLines)
        return (parsed, Self.spacedReferences(in: text, skipping: rawLines))
    }

    private static func parsedReferences(in text: String, rawLines: inout Set<Int>) -> [MarkdownReference] {
        Self.withDocument(text) { document in
            var found: [MarkdownReference] = []
            var open: [(MarkdownReference, String)] = []  // links/images being read, with their text so far
            for (node, entering) in MarkdownWalk(document) {
                let type = cmark_node_get_type(node)
                let line = Int(cmark_node_get_start_line(node))
                if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                    if entering {
                        let url = Self.url(of: node)
                        let kind: MarkdownReference.Kind = type == CMARK_NODE_IMAGE ? .image : .link
                        open.append((MarkdownReference(kind: kind, destination: url, line: line), ""))
                    } else if let (reference, label) = open.popLast() {
                        var done = reference
                        if done.kind == .image { done.altText = label } else { done.text = label }
                        found.append(done)
                        if !open.isEmpty { open[open.count - 1].1 += label }
                    }
                } else if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, !open.isEmpty {
                    open[open.count - 1].1 += Self.literal(of: node)
                } else if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE), entering {
                    let html = Self.literal(of: node)
                    if html.contains("<") { found += Self.htmlReferences(in: html, firstLine: line) }
                    if type == CMARK_NODE_HTML_BLOCK { rawLines.formUnion(Self.lines(of: node)) }
                } else if type == CMARK_NODE_CODE_BLOCK {
                    rawLines.formUnion(Self.lines(of: node))
                }
            }
            return found.sorted { $0.line < $1.line }
        }
    }

    /// `![alt](my picture.png)` and `[text](other chapter.md)`: CommonMark allows no spaces in
    /// a bare destination, so these stay plain text and the picture or link silently vanishes
    /// from the book. Found line by line outside code blocks and code spans.
    private static func spacedReferences(in text: String, skipping codeLines: Set<Int>) -> [MarkdownReference] {
        var found: [MarkdownReference] = []
        for (number, line) in Self.linesWithSpacedDestinations(text) where !codeLines.contains(number) {
            let visible = Self.codeSpan.stringByReplacingMatches(
                in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "")
            for match in Self.spacedReference.matches(in: visible, range: NSRange(visible.startIndex..., in: visible)) {
                guard let bang = Range(match.range(at: 1), in: visible), let label = Range(match.range(at: 2), in: visible),
                      let destination = Range(match.range(at: 3), in: visible) else { continue }
                found.append(MarkdownReference(
                    kind: visible[bang].isEmpty ? .link : .image, destination: String(visible[destination]), line: number,
                    altText: String(visible[label]), text: String(visible[label])))
            }
        }
        return found
    }

    /// The cheap pass before the regular expression, one walk over the bytes: lines where a
    /// `](` is followed by a space before its `)`, with their numbers.
    private static func linesWithSpacedDestinations(_ text: String) -> [(Int, String)] {
        var text = text
        return text.withUTF8 { bytes in
            var found: [(Int, String)] = []
            var number = 1
            var lineStart = 0
            var inDestination = false
            var flagged = false
            var previous: UInt8 = 0
            func close(_ end: Int) {
                if flagged { found.append((number, String(decoding: bytes[lineStart..<end], as: UTF8.self))) }
            }
            for index in bytes.indices {
                let byte = bytes[index]
                if byte == 10 {
                    close(index)
                    number += 1
                    lineStart = index + 1
                    inDestination = false
                    flagged = false
                    previous = 0
                    continue
                }
                if flagged { continue }
                if inDestination {
                    if byte == UInt8(ascii: ")") { inDestination = false } else if byte == UInt8(ascii: " ") { flagged = true }
                } else if previous == UInt8(ascii: "]") && byte == UInt8(ascii: "(") {
                    inDestination = true
                }
                previous = byte
            }
            close(bytes.count)
            return found
        }
    }

    /// The text of a text, code or raw HTML node; "" for a node without one.
    static func literal(of node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    /// The destination of a link or image node; "" when it has none.
    static func url(of node: OpaquePointer) -> String {
        cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    }

    private static func lines(of node: OpaquePointer) -> ClosedRange<Int> {
        let start = Int(cmark_node_get_start_line(node))
        return start...max(start, Int(cmark_node_get_end_line(node)))
    }

    private static let codeSpan = try! NSRegularExpression(pattern: "`+[^`]*`+")
    private static let spacedReference = try! NSRegularExpression(
        pattern: "(!?)\\[([^\\]]*)\\]\\(([^()\"'<>\\s]+(?: +[^()\"'<>\\s]+)+)\\)")

    /// True when `markdown` (a heading's text) is one or more images and nothing else.
    static func isOnlyImages(_ markdown: String) -> Bool {
        guard markdown.contains("![") || markdown.lowercased().contains("<img") else { return false }
        return Self.withDocument(markdown) { document in
            var sawImage = false
            var depth = 0
            for (node, entering) in MarkdownWalk(document) {
                let type = cmark_node_get_type(node)
                if type == CMARK_NODE_IMAGE {
                    depth += entering ? 1 : -1
                    sawImage = true
                    continue
                }
                guard depth == 0 else { continue }
                switch type {
                case CMARK_NODE_DOCUMENT, CMARK_NODE_PARAGRAPH, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: continue
                case CMARK_NODE_TEXT:
                    let literal = Self.literal(of: node)
                    if !literal.allSatisfy(\.isWhitespace) { return false }
                case CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK:
                    let literal = Self.literal(of: node)
                    guard literal.lowercased().hasPrefix("<img") else { return false }
                    sawImage = true
                default: return false
                }
            }
            return sawImage
        }
    }

    private static let imgTag = try! NSRegularExpression(pattern: "<img\\b[^>]*>", options: [.caseInsensitive])
    private static let anchorTag = try! NSRegularExpression(pattern: "<a\\b[^>]*>", options: [.caseInsensitive])

    /// `<img src alt>` and `<a href>` inside raw HTML: raw tables in imported trees carry
    /// pictures too, and a checker that missed them would pass a book with broken images.
    static func htmlReferences(in html: String, firstLine: Int) -> [MarkdownReference] {
        var found: [MarkdownReference] = []
        let whole = NSRange(html.startIndex..., in: html)
        let tags = [(Self.imgTag, MarkdownReference.Kind.image, Self.srcAttribute), (Self.anchorTag, .link, Self.hrefAttribute)]
        for (regex, kind, attribute) in tags {
            for match in regex.matches(in: html, range: whole) {
                guard let range = Range(match.range, in: html) else { continue }
                let tag = String(html[range])
                guard let destination = Self.value(of: attribute, in: tag) else { continue }
                let line = firstLine + html[..<range.lowerBound].filter { $0 == "\n" }.count
                found.append(MarkdownReference(
                    kind: kind, destination: destination, line: line,
                    altText: Self.value(of: Self.altAttribute, in: tag) ?? ""))
            }
        }
        return found
    }

    // The attributes read from raw HTML, each pattern compiled once rather than per tag
    // (NSRegularExpression is Sendable, so these statics are safe under Swift 6).
    private static let srcAttribute = Self.attributePattern("src")
    private static let hrefAttribute = Self.attributePattern("href")
    private static let altAttribute = Self.attributePattern("alt")

    /// Finds `name="..."`, `name='...'` or `name=bare` in one HTML tag.
    private static func attributePattern(_ name: String) -> NSRegularExpression {
        try! NSRegularExpression(
            pattern: "\\s\(name)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))", options: [.caseInsensitive])
    }

    /// The value of the attribute that `pattern` (from `attributePattern`) finds in one HTML tag.
    private static func value(of pattern: NSRegularExpression, in tag: String) -> String? {
        guard let match = pattern.firstMatch(in: tag, range: NSRange(tag.startIndex..., in: tag)) else { return nil }
        for group in 1...3 {
            if let range = Range(match.range(at: group), in: tag) { return String(tag[range]) }
        }
        return nil
    }
}
