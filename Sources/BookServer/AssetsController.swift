import BookStore
import Foundation
import Hummingbird

/// Images of a book: `PUT`/`GET`/`DELETE /books/{book}/assets/{name}` and the listing.
struct AssetsController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("books/{book}/assets") { _, context in
            struct Listing: Encodable { var assets: [AssetInfo] }
            return try APIResponse.json(Listing(assets: try await self.database.assets(of: context.parameters.id("book"), user: context.requireUser())))
        }
        group.put("books/{book}/assets/{name}") { request, context in
            var request = request
            let name = try Self.checkedName(context.parameters.id("name"))
            guard let declared = request.headers[.contentType].flatMap(AssetType.init(contentType:)) else {
                throw Problem(.unsupportedMediaType, "unsupported-media-type", "assets are image/png, image/jpeg, image/gif, image/svg+xml or image/webp")
            }
            let bytes = try await request.bodyBytes(limit: self.configuration.maxAssetSize)
            guard AssetType.sniff(bytes) == declared else {
                throw Problem(.unprocessableContent, "type-mismatch", "the body is not a \(declared.rawValue) file")
            }
            let info = try await self.database.putAsset(
                name, contentType: declared.rawValue, data: Data(bytes), of: context.parameters.id("book"),
                user: context.requireUser(), idempotency: request.idempotencyKey(body: bytes))
            return try APIResponse.json(info, status: .created)
        }
        group.get("books/{book}/assets/{name}") { _, context in
            let (info, data) = try await self.database.asset(
                Self.checkedName(context.parameters.id("name")), of: context.parameters.id("book"), user: context.requireUser())
            return Response(
                status: .ok,
                headers: [
                    .contentType: info.contentType,
                    // SVG may carry script: never run it in the app's origin.
                    .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                    .xContentTypeOptions: "nosniff",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        group.delete("books/{book}/assets/{name}") { request, context in
            _ = try await self.database.deleteAsset(
                Self.checkedName(context.parameters.id("name")), of: context.parameters.id("book"), user: context.requireUser(),
                idempotency: request.idempotencyKey(body: []))
            return APIResponse.noContent()
        }
    }

    /// One path segment of letters, digits, `-`, `_`, `.`; not `.` or `..`; 1 to 128 bytes.
    static func checkedName(_ name: String) throws -> String {
        let allowed = name.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
        guard allowed, (1...128).contains(name.utf8.count), name != ".", name != ".." else {
            throw Problem(.unprocessableContent, "invalid-name", "an asset name is one path segment of letters, digits, '-', '_' and '.'")
        }
        return name
    }
}

/// The image types a book may hold, recognised by their bytes rather than their names.
enum AssetType: String {
    case png = "image/png", jpeg = "image/jpeg", gif = "image/gif", svg = "image/svg+xml", webp = "image/webp"

    init?(contentType: String) {
        let bare = contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
        self.init(rawValue: bare)
    }

    static func sniff(_ bytes: [UInt8]) -> AssetType? {
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
