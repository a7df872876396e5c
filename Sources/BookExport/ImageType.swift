import Foundation

/// The image formats EPUB 3 reading systems must support, told apart by their bytes
/// (never by the file name, which books get wrong).
enum ImageType: String, Sendable {
    case png, jpeg, gif, webp, svg

    var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .svg: "image/svg+xml"
        }
    }

    var fileExtension: String { self == .jpeg ? "jpg" : self.rawValue }

    init?(sniffing data: Data) {
        let head = [UInt8](data.prefix(4096))
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
            self = .gif
        } else if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) {
            self = .webp
        } else if String(decoding: head, as: UTF8.self).contains("<svg") {
            self = .svg
        } else {
            return nil
        }
    }
}
