import Foundation

/// The image types a book may hold, recognised by their bytes rather than their names.
public enum AssetType: String, Sendable {
    case png = "image/png", jpeg = "image/jpeg", gif = "image/gif", svg = "image/svg+xml", webp = "image/webp"

    public init?(contentType: String) {
        let bare = contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
        self.init(rawValue: bare)
    }

    /// One path segment of letters, digits, `-`, `_`, `.`; not `.` or `..`; 1 to 128 bytes.
    public static func isValidName(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count) && name.utf8.allSatisfy(\.isNameCharacter) && name != "." && name != ".."
    }

    public static func sniff(_ bytes: [UInt8]) -> AssetType? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        // SVG: UTF-8 XML whose root element is <svg> (after an optional declaration, comments, doctype).
        if let text = String(validating: bytes.prefix(4096), as: UTF8.self) ?? String(validating: bytes, as: UTF8.self),
            let root = text.range(of: "<svg", options: .caseInsensitive)
        {
            let before = text[..<root.lowerBound]
            let stripped = before.replacingOccurrences(of: #"<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|\s|\u{FEFF}"#, with: "", options: .regularExpression)
            if stripped.isEmpty { return .svg }
        }
        return nil
    }
}
