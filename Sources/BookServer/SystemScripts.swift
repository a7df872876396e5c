import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Browser libraries the web app uses from the system's own packages, never copied into
/// this repository: `GET /vendor/sortable.js` is Debian's `libjs-sortable` (drag and drop
/// of the table of contents). Each file is read once, at start; a missing package is
/// logged, answered 404, and the app falls back to its keyboard moves.
struct SystemScripts: Sendable {
    /// Name in `/vendor/` → where the Debian package installs it.
    static let installed: [String: String] = [
        "sortable.js": "/usr/share/javascript/sortable/Sortable.min.js"
    ]

    let files: [String: WebFile]

    init(logger: Logger) {
        var files: [String: WebFile] = [:]
        for (name, path) in Self.installed.sorted(by: { $0.key < $1.key }) {
            if let data = FileManager.default.contents(atPath: path) {
                files[name] = WebFile(path: name, bytes: Array(data))
            } else {
                logger.warning("booksprint: \(path) is missing (apt-get install libjs-sortable): the web app reorders chapters by keyboard only")
            }
        }
        self.files = files
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("vendor/{name}", method: method) { request, context in
                guard let file = self.files[context.parameters.get("name") ?? ""] else { return WebAppController.notFound() }
                return WebAppController.answer(request, file)
            }
        }
    }
}
