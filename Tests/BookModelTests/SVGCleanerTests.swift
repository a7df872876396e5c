import BookModel
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The hostile SVGs of `Tests/HostileSVG` and what every way into a book must make of them.
enum HostileSVG {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HostileSVG")

    static func files(_ prefix: String) throws -> [(name: String, data: Data)] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".svg") }.sorted()
            .map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    /// The patterns of `forbidden.txt` that `svg` matches: empty when it is inert.
    static func forbidden(in svg: String) throws -> [String] {
        let patterns = try String(contentsOf: folder.appendingPathComponent("forbidden.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        return try patterns.filter { pattern in
            try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                .firstMatch(in: svg, range: NSRange(svg.startIndex..., in: svg)) != nil
        }
    }
}

@Suite struct SVGCleanerTests {
    @Test func hostileSVGsComeOutInertKeepingTheirDrawing() throws {
        let files = try HostileSVG.files("clean-")
        try #require(files.count >= 8)
        for (name, data) in files {
            // Each file of the corpus is hostile as it is: the check finds what it holds.
            #expect(try !HostileSVG.forbidden(in: String(decoding: data, as: UTF8.self)).isEmpty, "\(name) is not hostile")
            let cleaned = try SVGCleaner.clean(data)
            let text = String(decoding: cleaned.data, as: UTF8.self)
            #expect(try HostileSVG.forbidden(in: text) == [], "\(name): \(text)")
            #expect(text.contains("id=\"keep\""), "\(name) lost its drawing: \(text)")
            #expect(!cleaned.dropped.isEmpty, "\(name)")
            #expect(ImageFormat(sniffing: cleaned.data) == .svg, "\(name)")
            #expect(XMLTree(cleaned.data) != nil, "\(name) is not well-formed: \(text)")
            // Cleaning is stable: a cleaned SVG is clean.
            let again = try SVGCleaner.clean(cleaned.data)
            #expect(again.data == cleaned.data && again.dropped == [], "\(name)")
        }
    }

    @Test func whatIsDroppedIsNamed() throws {
        let script = try SVGCleaner.clean(Data(try HostileSVG.files("clean-script")[0].data))
        #expect(script.dropped == ["<script>"])
        let handlers = try SVGCleaner.clean(try HostileSVG.files("clean-handlers")[0].data)
        #expect(handlers.dropped.contains("event handler onload") && handlers.dropped.contains("event handler OnMouseOver"))
        let links = try SVGCleaner.clean(try HostileSVG.files("clean-links")[0].data)
        #expect(links.dropped.contains("xlink:href ' javascript:alert(2)' on <a>"), "\(links.dropped)")
        let css = try SVGCleaner.clean(try HostileSVG.files("clean-css")[0].data)
        let text = String(decoding: css.data, as: UTF8.self)
        // The safe rules and declarations stay.
        #expect(text.contains(".a { fill: red }") && text.contains("stroke: green") && text.contains("stroke: blue"), "\(text)")
    }

    @Test func unparsableAndEntityDeclaringSVGsAreRefused() throws {
        let files = try HostileSVG.files("refused-")
        try #require(files.count == 4)
        for (name, data) in files {
            #expect(ImageFormat(sniffing: data) == .svg, "\(name) is not even an SVG")
            #expect(throws: SVGRefusal.self, "\(name)") { try SVGCleaner.clean(data) }
        }
        let laughs = try #require(files.first { $0.name.contains("laughs") })
        #expect { try SVGCleaner.clean(laughs.data) } throws: { ($0 as? SVGRefusal)?.reason.contains("internal subset") == true }
        let malformed = try #require(files.first { $0.name.contains("malformed") })
        #expect { try SVGCleaner.clean(malformed.data) } throws: { ($0 as? SVGRefusal)?.reason.hasPrefix("not well-formed XML (line 1") == true }
        #expect(throws: SVGRefusal.self) { try SVGCleaner.clean(Data("<svg xmlns=\"urn:not-svg\"/>".utf8)) }
    }

    /// The handbook's figures carry nothing active: they come out as the same tree of
    /// elements, attributes and text (attribute order and the XML declaration's spelling
    /// may change, nothing else).
    @Test func handbookFiguresComeOutEquivalent() throws {
        let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Books/booksprint-handbook/images")
        let figures = try FileManager.default.contentsOfDirectory(atPath: images.path).filter { $0.hasSuffix(".svg") }
        try #require(figures.count >= 5)
        for figure in figures {
            let data = try Data(contentsOf: images.appendingPathComponent(figure))
            let cleaned = try SVGCleaner.clean(data)
            #expect(cleaned.dropped == [], "\(figure)")
            let before = try #require(XMLTree(data))
            #expect(XMLTree(cleaned.data) == before, "\(figure)")
        }
    }

    @Test func sameInputGivesSameBytes() throws {
        let data = Data("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"2\" viewBox=\"0 0 1 2\" id=\"a\" class=\"b\"><rect x=\"0\" y=\"0\" fill=\"red\" stroke=\"blue\"/></svg>".utf8)
        let first = try SVGCleaner.clean(data).data
        #expect(String(decoding: first, as: UTF8.self)
            == "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"b\" height=\"2\" id=\"a\" viewBox=\"0 0 1 2\" width=\"1\"><rect fill=\"red\" stroke=\"blue\" x=\"0\" y=\"0\"/></svg>\n")
    }
}

/// An XML document as a tree of names, attribute sets and text, read by Foundation's parser
/// (comments, processing instructions and whitespace outside the root left out).
struct XMLTree: Equatable {
    var name: String
    var attributes: [String: String]
    var children: [Node]
    enum Node: Equatable { case element(XMLTree), text(String) }

    init?(_ data: Data) {
        let reader = Reader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse(), let root = reader.root else { return nil }
        self = root
    }

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
        self.children = []
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?, attributes attributeDict: [String: String]) {
            self.stack.append(XMLTree(name: elementName, attributes: attributeDict))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            let done = self.stack.removeLast()
            if self.stack.isEmpty { self.root = done } else { self.stack[self.stack.count - 1].children.append(.element(done)) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !self.stack.isEmpty else { return }
            if case .text(let previous)? = self.stack[self.stack.count - 1].children.last {
                self.stack[self.stack.count - 1].children[self.stack[self.stack.count - 1].children.count - 1] = .text(previous + string)
            } else {
                self.stack[self.stack.count - 1].children.append(.text(string))
            }
        }
    }
}
