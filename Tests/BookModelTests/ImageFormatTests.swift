import BookModel
import Foundation
import Testing

/// The one image sniffer the store and the exporter share: signatures, media types, and
/// what counts as SVG (the root element, as an XML parser finds it).
@Suite struct ImageFormatTests {
    static let svgElement = #"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#

    @Test func signaturesNameTheFormat() {
        #expect(ImageFormat(sniffing: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]) == .png)
        #expect(ImageFormat(sniffing: [0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat(sniffing: Array("GIF87a\u{1}\0".utf8)) == .gif)
        #expect(ImageFormat(sniffing: Array("GIF89a\u{1}\0".utf8)) == .gif)
        #expect(ImageFormat(sniffing: Array("RIFF\u{22}\0\0\0WEBPVP8 ".utf8)) == .webp)
    }

    @Test func bytesOfNoImageAreNothing() {
        #expect(ImageFormat(sniffing: [UInt8]()) == nil)
        #expect(ImageFormat(sniffing: Array("hello".utf8)) == nil)
        // A signature cut short, and a RIFF file that is sound, not WebP.
        #expect(ImageFormat(sniffing: [0x89, 0x50, 0x4E, 0x47]) == nil)
        #expect(ImageFormat(sniffing: [0xFF, 0xD8]) == nil)
        #expect(ImageFormat(sniffing: Array("GIF8".utf8)) == nil)
        #expect(ImageFormat(sniffing: Array("RIFF\u{22}\0\0\0WAVEfmt ".utf8)) == nil)
        #expect(ImageFormat(sniffing: Array("RIFF\u{22}\0\0\0WE".utf8)) == nil)
    }

    @Test func anyByteCollectionCanBeSniffed() {
        let padded = Data(("xyz" + Self.svgElement).utf8)
        #expect(ImageFormat(sniffing: padded.dropFirst(3)) == .svg)
        #expect(ImageFormat(sniffing: Data(Self.svgElement.utf8)) == .svg)
        #expect(ImageFormat(sniffing: Array(Self.svgElement.utf8)[...]) == .svg)
        #expect(ImageFormat(sniffing: Self.svgElement.utf8) == .svg)
    }

    @Test func mediaTypesAndExtensionsStayAsTheyWere() {
        #expect(ImageFormat.allCases.map(\.mediaType) == ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"])
        #expect(ImageFormat.allCases.map(\.fileExtension) == ["png", "jpg", "gif", "webp", "svg"])
        for format in ImageFormat.allCases {
            #expect(ImageFormat(mediaType: format.mediaType) == format)
        }
        #expect(ImageFormat(mediaType: " Image/SVG+XML ; charset=utf-8") == .svg)
        for other in ["", ";", " ; x", "image/svg", "image/jpg", "text/plain", "image/png2"] {
            #expect(ImageFormat(mediaType: other) == nil, "\(other)")
        }
    }

    @Test(arguments: [
        "<svg/>",
        "\u{FEFF}<svg/>",
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(svgElement)",
        "\n\t  \r\n\(svgElement)",
        "<?xml version=\"1.0\"?><!-- drawn by hand: <html> -->\n<!-- two -->\(svgElement)",
        "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"style.css\" type=\"text/css\"?>\n\(svgElement)",
        "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n\(svgElement)",
        // Illustrator's style: an internal subset whose strings hold `>` and `]`.
        "<!DOCTYPE svg [\n<!ENTITY ns \"&#38;#x3E;]>\">\n<!-- a ] and a > -->\n<!ENTITY x 'y'>\n]>\n\(svgElement)",
        "<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>",
        "<svg\n  xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        "<svg>",
        // A prolog longer than the 4 KiB the exporter used to look at.
        "<!-- \(String(repeating: "licence text ", count: 400)) -->\n\(svgElement)",
        "<!-- Grüße, ✓ -->\(svgElement)",
    ])
    func svgIsADocumentWhoseRootIsSvg(text: String) {
        #expect(ImageFormat(sniffing: Array(text.utf8)) == .svg)
    }

    @Test(arguments: [
        "<!-- <svg xmlns=\"http://www.w3.org/2000/svg\"/> -->\n<html/>",
        "<!-- <svg/> -->",
        "An SVG: <svg/>",
        "<html><body><svg xmlns=\"http://www.w3.org/2000/svg\"/></body></html>",
        "<!DOCTYPE html>\n<html><svg/></html>",
        "<!DOCTYPE html [<!ENTITY a \"<svg/>\">]><html/>",
        "<?svg <svg/> ?><p/>",
        // XML is case-sensitive and names must match whole: these roots are not `svg`.
        "<SVG/>",
        "<Svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "<svgx/>",
        "<a:b:svg/>",
        "<:svg/>",
        "<svg:circle/>",
        // HTML's lower-case doctype is not XML; a reader's parser stops there.
        "<!doctype svg>\n<svg/>",
        "<![CDATA[x]]><svg/>",
        "< svg/>",
        "\u{FEFF}\u{FEFF}<svg/>",
    ])
    func svgOnlyInsideOrAfterSomethingElseIsNotSvg(text: String) {
        #expect(ImageFormat(sniffing: Array(text.utf8)) == nil)
    }

    @Test(arguments: [
        "",
        "\u{FEFF}",
        "<",
        "<sv",
        "<svg",
        "<?xml version=\"1.0\"",
        "<?xml version=\"1.0\"?>\n",
        "<!-- never closed <svg/>",
        "<!-- closed --",
        "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN",
        "<!DOCTYPE svg [ <!ENTITY x \"y\"> <svg/>",
        "<!DOCTYPE svg [ <!-- open <svg/> ",
    ])
    func truncatedInputIsNotSvg(text: String) {
        #expect(ImageFormat(sniffing: Array(text.utf8)) == nil)
    }

    @Test func svgMustBeUTF8Throughout() {
        let latin1 = Array("<svg><title>".utf8) + [0x47, 0x72, 0xFC, 0xDF, 0x65] + Array("</title></svg>".utf8)
        #expect(ImageFormat(sniffing: latin1) == nil)
        let lateLatin1 = Array("<svg><!-- \(String(repeating: "padding ", count: 600)) -->".utf8) + [0xFC] + Array("</svg>".utf8)
        #expect(ImageFormat(sniffing: lateLatin1) == nil)
        let utf16 = Array("<svg/>".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(ImageFormat(sniffing: [0xFF, 0xFE] + utf16) == nil)
    }
}
