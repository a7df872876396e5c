import BookModel
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The sample book is the server's first-start book and the exporter's showcase: it must
/// stay clean and substantial.
@Suite struct HandbookTests {
    @Test func handbookLoadsWithoutAnyProblem() throws {
        let book = try loadBook(at: handbookFolder)
        #expect(book.problems.isEmpty, "\(book.report)")
        #expect(book.manuscript.metadata.license == "CC BY-SA 4.0")
        #expect(book.manuscript.metadata.authors == ["The Booksprint team"])
        #expect(book.manuscript.metadata.cover == "images/cover.svg")
    }

    @Test func handbookHasAtLeastEightSubstantialChaptersInTwoParts() throws {
        let book = try BookFolder.load(from: handbookFolder)
        let parts = book.manuscript.contents.filter { if case .part = $0 { true } else { false } }
        #expect(parts.count >= 2)
        let chapters = book.manuscript.chaptersInOrder
        #expect(chapters.count >= 8)
        for chapter in chapters {
            let words = try book.manuscript.source.text(ofChapterAt: chapter.path).split { $0.isWhitespace }.count
            #expect(words >= 300, "\(chapter.path) has \(words) words")
        }
    }

    /// Figures are SVG with a title; screenshots of the web app are PNG.
    @Test func everyFigureIsWellFormedSvgWithATitle() throws {
        let book = try BookFolder.load(from: handbookFolder)
        #expect(book.images.count >= 4)
        for image in book.images {
            let data = try #require(try book.manuscript.source.data(at: image))
            if image.hasSuffix(".png") {
                #expect(ImageFormat(sniffing: data) == .png, "\(image)")
                continue
            }
            let parser = XMLParser(data: data)
            let root = RootElement()
            parser.delegate = root
            #expect(parser.parse(), "\(image): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(root.name == "svg", "\(image)")
            #expect(root.sawTitle, "\(image) has no <title>")
        }
    }
}

/// Notes the root element's name and whether a `<title>` follows it.
private final class RootElement: NSObject, XMLParserDelegate {
    var name: String?
    var sawTitle = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if self.name == nil { self.name = elementName }
        if elementName == "title" { self.sawTitle = true }
    }
}
