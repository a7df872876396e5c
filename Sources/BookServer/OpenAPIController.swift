import Hummingbird

/// `GET /api/v1/openapi.yaml`: the document describing this API, from the web files.
struct OpenAPIController {
    let files: WebFileSource

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("openapi.yaml") { _, _ in
            guard let file = self.files.file("openapi.yaml") else {
                throw Problem(.internalServerError, "internal", "the OpenAPI document is missing from the build")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml", .eTag: file.eTag], body: .init(byteBuffer: file.bytes))
        }
    }
}
