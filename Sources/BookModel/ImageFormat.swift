import Foundation

/// The image formats a book may hold (the ones EPUB 3 reading systems must support), told
/// apart by their bytes, never by a file name or a declared type, which books and uploads
/// get wrong. The store checks uploads and imports with it and the exporter types the images
/// it copies with it, so what the store accepts is what a reader will open.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, gif, webp, svg

    /// The media type stored with an asset and written into an EPUB's manifest.
    public var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .svg: "image/svg+xml"
        }
    }

    /// The extension of an exported copy (`jpg` for JPEG).
    public var fileExtension: String { self == .jpeg ? "jpg" : self.rawValue }

    /// The format a `Content-Type` value names, ignoring case and parameters
    /// (`Image/PNG; q=1` is PNG); nil for any other type, and for an empty value.
    public init?(mediaType: String) {
        let bare = mediaType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
        guard let format = Self.allCases.first(where: { $0.mediaType == bare }) else { return nil }
        self = format
    }

    /// The format of `bytes`, nil when they are none of these: PNG, JPEG, GIF and WebP by
    /// their signatures; SVG when the bytes are UTF-8 XML whose root element is `svg` (see
    /// `SVGProlog`).
    public init?(sniffing bytes: some Collection<UInt8>) {
        let format = bytes.withContiguousStorageIfAvailable(Self.sniff) ?? Array(bytes).withUnsafeBufferPointer(Self.sniff)
        guard let format else { return nil }
        self = format
    }

    private static func sniff(_ bytes: UnsafeBufferPointer<UInt8>) -> ImageFormat? {
        func starts(_ signature: some StringProtocol, at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.utf8.count && bytes[offset...].starts(with: signature.utf8)
        }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts("GIF87a") || starts("GIF89a") { return .gif }
        if starts("RIFF"), starts("WEBP", at: 8) { return .webp }
        if SVGProlog.rootIsSVG(bytes), String(validating: bytes, as: UTF8.self) != nil { return .svg }
        return nil
    }
}

/// Finds an XML document's root element the way an XML parser would, without parsing the
/// rest: after an optional UTF-8 byte order mark, only whitespace, processing instructions
/// (the XML declaration is one), comments and a doctype (with its internal subset) may come
/// before it. So `<svg` inside a comment, a doctype or text, or as a child of another root,
/// does not make a file SVG, and neither does a prolog cut off before the root.
enum SVGProlog {
    /// Whether the root element is `svg`, unprefixed or with a namespace prefix (`svg:svg`).
    /// Case matters, as in XML: `<SVG>` is not SVG.
    static func rootIsSVG(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let root = self.rootStart(bytes) else { return false }
        var end = root
        while end < bytes.count, !Self.endsName(bytes[end]) { end += 1 }
        // A name cut off by the end of the input is no element yet.
        guard end < bytes.count else { return false }
        let parts = bytes[root..<end].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        return parts.last?.elementsEqual("svg".utf8) == true && (parts.count == 1 || (parts.count == 2 && !parts[0].isEmpty))
    }

    /// What a prolog holds that the SVG cleaner must know: an XML declaration (kept), and a
    /// DOCTYPE with an internal subset (refused: it can declare entities).
    struct Facts {
        var declaration = false
        var internalSubset = false
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Facts {
        var facts = Facts()
        _ = self.rootStart(bytes, facts: &facts)
        return facts
    }

    /// The offset of the root element's name (just after its `<`), nil when something other
    /// than the prolog comes first or the input ends before it.
    static func rootStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var facts = Facts()
        return self.rootStart(bytes, facts: &facts)
    }

    private static func rootStart(_ bytes: UnsafeBufferPointer<UInt8>, facts: inout Facts) -> Int? {
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func at(_ marker: String) -> Bool { bytes[i...].starts(with: marker.utf8) }
        /// Moves past the next `marker`; false when there is none.
        func skip(past marker: String) -> Bool {
            let pattern = Array(marker.utf8)
            while i + pattern.count <= bytes.count {
                if bytes[i...].starts(with: pattern) {
                    i += pattern.count
                    return true
                }
                i += 1
            }
            return false
        }
        while true {
            while i < bytes.count, Self.isWhitespace(bytes[i]) { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { return nil }
            if at("<?") {
                if at("<?xml "), i <= 3 { facts.declaration = true }
                i += 2
                guard skip(past: "?>") else { return nil }
            } else if at("<!--") {
                i += 4
                guard skip(past: "-->") else { return nil }
            } else if at("<!DOCTYPE") {
                i += 9
                guard self.skipDoctype(bytes, from: &i, internalSubset: &facts.internalSubset) else { return nil }
            } else if i + 1 < bytes.count, !Self.endsName(bytes[i + 1]), bytes[i + 1] != UInt8(ascii: "!") {
                return i + 1
            } else {
                return nil
            }
        }
    }

    /// Moves `i` past the `>` that closes a doctype, over quoted ids and an internal subset
    /// in brackets (whose declarations, strings and comments may hold `>`).
    private static func skipDoctype(_ bytes: UnsafeBufferPointer<UInt8>, from i: inout Int, internalSubset: inout Bool) -> Bool {
        var inSubset = false
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                guard let close = bytes[(i + 1)...].firstIndex(of: byte) else { return false }
                i = close + 1
            } else if inSubset, bytes[i...].starts(with: "<!--".utf8) {
                i += 4
                while i + 3 <= bytes.count, !bytes[i...].starts(with: "-->".utf8) { i += 1 }
                guard i + 3 <= bytes.count else { return false }
                i += 3
            } else {
                if byte == UInt8(ascii: "[") { inSubset = true; internalSubset = true }
                if byte == UInt8(ascii: "]") { inSubset = false }
                i += 1
                if byte == UInt8(ascii: ">"), !inSubset { return true }
            }
        }
        return false
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// What ends an element name: whitespace, `/`, `>` (and `<`, which never belongs in one).
    private static func endsName(_ byte: UInt8) -> Bool {
        Self.isWhitespace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "<")
    }
}
