import BookStore
import Foundation
import Hummingbird

/// One file of the web app (or the OpenAPI document): its bytes, its media type, and a
/// strong ETag (a hash of the bytes, so it changes exactly when they do).
struct WebFile: Sendable {
    let bytes: ByteBuffer
    let contentType: String
    let eTag: String

    init(path: String, bytes: [UInt8]) {
        self.bytes = ByteBuffer(bytes: bytes)
        self.contentType = WebFiles.mediaType(of: path)
        self.eTag = "\"" + SHA256.hex(bytes).prefix(32) + "\""
    }
}

/// The files under `Sources/BookServer/Public/`, by path below that folder (`index.html`,
/// `openapi.yaml`, `app/main.js`). The EmbedWebFiles plugin puts them into the code as
/// base64 literals (`embeddedWebFiles`); they are decoded once, when the server is built.
/// No bundle is involved, so a binary moved anywhere serves the same files.
enum WebFiles {
    static let embedded: [String: WebFile] = {
        var table: [String: WebFile] = [:]
        for (path, base64) in embeddedWebFiles {
            guard let data = Data(base64Encoded: base64) else { continue }
            table[path] = WebFile(path: path, bytes: Array(data))
        }
        return table
    }()

    static let version: String = {
        let names = Self.embedded.keys.sorted().map { "\($0) \(Self.embedded[$0]!.eTag)\n" }.joined()
        return String(SHA256.hex(Array(names.utf8)).prefix(16))
    }()

    /// `index.html` with each `/app/` address of the app's own files turned into
    /// `/app/v/VERSION/`; the modules' relative imports then resolve below it too.
    static let versionedShell: WebFile? = Self.embedded["index.html"].map { shell in
        let text = String(decoding: shell.bytes.readableBytesView, as: UTF8.self)
            .replacingOccurrences(of: "\"/app/", with: "\"/app/v/\(Self.version)/")
        return WebFile(path: "index.html", bytes: Array(text.utf8))
    }

    /// The media type a file is served with, by its extension.
    static func mediaType(of path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "json", "map": return "application/json"
        case "webmanifest": return "application/manifest+json"
        case "yaml", "yml": return "application/yaml"
        case "txt", "md": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    /// A path below the folder, if every segment is a plain name: no empty, `.`, `..` or
    /// hidden segment, no backslash or NUL. Percent escapes are decoded first.
    static func checkedPath(_ segments: [Substring]) -> String? {
        var parts: [String] = []
        for segment in segments {
            guard let part = String(segment).removingPercentEncoding, !part.isEmpty, !part.hasPrefix("."),
                !part.contains("/"), !part.contains("\\"), !part.contains("\u{0}")
            else { return nil }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}

/// Where the server takes the web app's files from: the embedded table, or, for development
/// (`BOOKSPRINT_WEB_ROOT`), a folder read anew on every request so that an edited file
/// shows on the next reload without a build.
struct WebFileSource: Sendable {
    let folder: URL?

    init(folder: URL?) {
        self.folder = folder?.standardizedFileURL
        if self.folder == nil { _ = WebFiles.embedded }
    }

    /// What names this set of files in the app's addresses: a hash of every embedded file,
    /// so any change of any file gives the app new addresses; nil for a folder, whose
    /// files may change at any moment (they are then never kept).
    var version: String? { self.folder == nil ? WebFiles.version : nil }

    /// The app's shell, `index.html`, loading the app from `/app/v/VERSION/` (embedded
    /// files) or from `/app/` (a folder).
    func shell() -> WebFile? {
        guard self.folder == nil else { return self.file("index.html") }
        return WebFiles.versionedShell
    }

    /// The file at `path` (below `Public/`), or nil.
    func file(_ path: String) -> WebFile? {
        guard let folder = self.folder else { return WebFiles.embedded[path] }
        let url = folder.appendingPathComponent(path).standardizedFileURL
        guard url.path.hasPrefix(folder.path + "/"),
            (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
            let data = try? Data(contentsOf: url)
        else { return nil }
        return WebFile(path: path, bytes: Array(data))
    }
}
