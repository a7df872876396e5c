import BookModel
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
            return try APIResponse.json(Listing(assets: try await self.database.assetsWithUses(
                of: context.parameters.id("book"), user: context.requireUser())))
        }
        group.put("books/{book}/assets/{name}") { request, context in
            var request = request
            let name = try Self.checkedName(context.parameters.id("name"))
            guard let declared = request.headers[.contentType].flatMap(ImageFormat.init(mediaType:)) else {
                throw Problem(.unsupportedMediaType, "unsupported-media-type", "assets are image/png, image/jpeg, image/gif, image/svg+xml or image/webp")
            }
            let bytes = try await request.bodyBytes(limit: self.configuration.maxAssetSize)
            guard ImageFormat(sniffing: bytes) == declared else {
                throw Problem(.unprocessableContent, "type-mismatch", "the body is not a \(declared.mediaType) file")
            }
            var data = Data(bytes)
            var dropped: [String] = []
            if declared == .svg {
                do throws(SVGRefusal) {
                    let cleaned = try SVGCleaner.clean(data)
                    (data, dropped) = (cleaned.data, cleaned.dropped)
                } catch {
                    throw Problem(.unprocessableContent, "invalid-svg", "the SVG cannot be cleaned: \(error.reason)")
                }
            }
            let info = try await self.database.putAsset(
                name, contentType: declared.mediaType, data: data, of: context.parameters.id("book"),
                user: context.requireUser(), idempotency: request.idempotencyKey(body: bytes))
            return try APIResponse.json(Stored(info: info, dropped: dropped), status: .created)
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

    /// The answer to a PUT: the stored asset, and what cleaning an SVG took out of it.
    struct Stored: Encodable {
        var info: AssetInfo
        var dropped: [String]

        func encode(to encoder: any Encoder) throws {
            try self.info.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(self.dropped, forKey: .dropped)
        }

        enum Key: String, CodingKey { case dropped }
    }

    static func checkedName(_ name: String) throws -> String {
        guard AssetName.isValid(name) else {
            throw Problem(.unprocessableContent, "invalid-name", "an asset name is one path segment of letters, digits, '-', '_' and '.'")
        }
        return name
    }
}

