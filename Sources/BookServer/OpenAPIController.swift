import Foundation
import Hummingbird

/// `GET /api/v1/openapi.yaml`: the document describing this API, from the bundle.
struct OpenAPIController {
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("openapi.yaml") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Public"),
                let text = try? String(contentsOf: url, encoding: .utf8)
            else { throw Problem(.internalServerError, "internal", "the OpenAPI document is missing from the build") }
            return APIResponse.text(text, contentType: "application/yaml")
        }
    }
}
