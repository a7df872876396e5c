import Foundation
import HTTPTypes
import Hummingbird

/// The web app: `GET /app/<path>` serves its files, and `/`, `/signin`, `/password`,
/// `/users`, `/books`, and everything below `/books/` and `/invite/` serve its shell
/// (`index.html`), whose script then reads the address. `HEAD` answers the same headers. Every answer carries the app's security
/// headers. The shell is revalidated on each use (`Cache-Control: no-cache` and a strong
/// ETag); it loads the app from `/app/v/VERSION/`, which is kept for good, so a warm load
/// of a page asks for the shell alone (each of the twenty modules revalidated on its own
/// cost the book page a third of its 300 ms on loopback).
struct WebAppController {
    let files: WebFileSource

    /// Scripts, styles, images, fonts and requests from the app's own origin only; no inline
    /// script, no plugins, no framing, no `<base>`; images also from `blob:` (a dropped
    /// image shown before its upload ends).
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func addRoutes(to router: Router<AppRequestContext>) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("app/**", method: method) { request, context in
                var segments = context.parameters.getCatchAll()
                // `/app/v/VERSION/PATH`: the same file under an address that changes with any
                // file of the app, so it may be kept for good (see `shell`).
                var cache = "no-cache"
                if segments.count > 2 && segments[0] == "v" {
                    if segments[1] == Substring(self.files.version ?? "") { cache = Self.immutable }
                    segments.removeFirst(2)
                }
                guard let path = WebFiles.checkedPath(segments), let file = self.files.file("app/" + path)
                else { return Self.notFound() }
                return Self.answer(request, file, cache: cache)
            }
            for shell in ["/", "signin", "password", "users", "invite/**", "books", "books/**"] {
                router.on(RouterPath(shell), method: method) { request, _ in
                    guard let file = self.files.shell() else { return Self.notFound() }
                    return Self.answer(request, file)
                }
            }
        }
    }

    /// A year, and never revalidated: the address names the app's version.
    static let immutable = "public, max-age=31536000, immutable"

    /// The file, or 304 when `If-None-Match` names its ETag already.
    static func answer(_ request: Request, _ file: WebFile, cache: String = "no-cache") -> Response {
        var headers = Self.securityHeaders
        headers[.eTag] = file.eTag
        headers[.cacheControl] = cache
        if request.hasCurrent(eTag: file.eTag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        headers[.contentLength] = String(file.bytes.readableBytes)
        if request.method == .head {
            return Response(status: .ok, headers: headers, body: .init())
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.bytes))
    }

    static var securityHeaders: HTTPFields {
        [
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "no-referrer",
        ]
    }

    /// What any path outside `/api/` that is not the app gets: a plain 404.
    static func notFound() -> Response {
        APIResponse.text("Not Found\n", contentType: "text/plain; charset=utf-8", status: .notFound, headers: [.xContentTypeOptions: "nosniff"])
    }
}
