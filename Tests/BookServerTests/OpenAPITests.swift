import Foundation
import NIOHTTP1
import Testing

@Suite struct OpenAPITests {
    @Test func documentIsServedWithoutSignIn() async throws {
        try await withLiveServer { live in
            let doc = try await live.anonymous.call(.GET, "/api/v1/openapi.yaml")
            #expect(doc.status == 200 && doc.text.hasPrefix("openapi: 3.1.0"))
            #expect(doc.text.contains("/books/{book}/chapters/{chapter}/revisions:"))
        }
    }

    /// A method a path does not have is 405 with `Allow` listing the methods it has, and
    /// those are the methods the document lists for it: every path of the document, asked
    /// with TRACE (which none has), answers with exactly the document's methods.
    @Test func undeclaredMethodIsMethodNotAllowedWithTheDocumentsMethods() async throws {
        try await withLiveServer { live in
            let document = try await live.anonymous.call(.GET, "/api/v1/openapi.yaml").text
            let paths = Self.methodsByPath(document)
            #expect(paths.count > 20 && paths["/books/{book}/toc"] == ["GET"])
            for (path, methods) in paths {
                let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x", options: .regularExpression)
                let reply = try await live.fran.call(.TRACE, "/api/v1" + concrete)
                #expect(reply.status == 405, "TRACE \(path): \(reply.status) \(reply.text)")
                #expect(reply.headers["Allow"].first == methods.joined(separator: ", "), "Allow of \(path)")
                #expect(reply.headers["Content-Type"].first == "application/problem+json")
                #expect(reply["type"] as? String == "urn:booksprint:problem:method-not-allowed")
            }
            // Without a token too (the answer names methods, never data), and for any method.
            let signedOut = try await live.anonymous.call(.GET, "/api/v1/logout")
            #expect(signedOut.status == 405 && signedOut.headers["Allow"].first == "POST")
            let put = try await live.fran.call(.PUT, "/api/v1/books")
            #expect(put.status == 405 && put.headers["Allow"].first == "GET, POST")
            // A path the server does not have stays 404.
            #expect(try await live.fran.call(.TRACE, "/api/v1/nothing/here").status == 404)
            #expect(try await live.fran.call(.GET, "/api/v1/books/x/nothing").status == 404)
            // The web app's paths: plain text, with Allow.
            let app = try await live.anonymous.call(.POST, "/app/app.js")
            #expect(app.status == 405 && app.headers["Allow"].first == "GET, HEAD")
            #expect(app.headers["Content-Type"].first?.hasPrefix("text/plain") == true)
        }
    }

    /// Where the document and the server disagreed, the server now follows the document
    /// (each of these was answered otherwise before).
    @Test func theServerRefusesWhatTheDocumentForbidsAndTakesWhatItAllows() async throws {
        try await withLiveServer { live in
            // Idempotency-Key: 1 to 255 visible ASCII characters (a space inside was taken).
            let spaced = try await live.fran.call(.POST, "/api/v1/books", json: ["title": "K"], headers: [("Idempotency-Key", "a b")])
            #expect(spaced.status == 400 && spaced["type"] as? String == "urn:booksprint:problem:invalid-idempotency-key")
            #expect(try await live.fran.call(.POST, "/api/v1/books", json: ["title": "K"], headers: [("Idempotency-Key", "a-b")]).status == 201)
            // Titles: at most 500 code points, as JSON Schema counts (500 characters of
            // e + combining accent were taken), counted before trimming.
            let accents = String(repeating: "e\u{301}", count: 500)
            #expect(try await live.fran.call(.PATCH, live.path, json: ["title": accents]).status == 422)
            #expect(try await live.fran.call(.PATCH, live.path, json: ["title": "x" + String(repeating: " ", count: 500)]).status == 422)
            let trimmed = try await live.fran.call(.PATCH, live.path, json: ["title": "\u{3000} Title\u{85}\u{A0}"])
            #expect(trimmed.status == 200 && trimmed["title"] as? String == "Title")
            #expect(try await live.fran.call(.PATCH, live.path, json: ["title": "\u{2028}\u{205F}"]).status == 422)
            // Workflow states are distinct as JSON Schema's uniqueItems sees them (scalar by
            // scalar): "é" and "e" + accent are two states.
            let workflow = try await live.fran.call(.PATCH, live.path, json: ["workflow": ["\u{E9}", "e\u{301}"]])
            #expect(workflow.status == 200, "\(workflow.text)")
            // A negative `since` is not a seq: 400, not 410.
            #expect(try await live.fran.call(.GET, "\(live.path)/changes?since=-1").status == 400)
            // A chapter placed after a node that is not there: 409, as for a TOC operation.
            let nowhere = try await live.ann.call(.POST, "\(live.path)/chapters", json: ["title": "T", "after": "nope"])
            #expect(nowhere.status == 409, "\(nowhere.text)")
        }
    }

    /// `/path:` → its methods, upper case and sorted, from the document's `paths`.
    static func methodsByPath(_ document: String) -> [String: [String]] {
        var paths: [String: [String]] = [:]
        var current: String?
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
                paths[current!] = []
            } else if let path = current, line.hasPrefix("    "), !line.hasPrefix("     "),
                let method = ["get", "put", "post", "delete", "patch", "head", "options"].first(where: { line == "    \($0):" })
            {
                paths[path]!.append(method.uppercased())
            } else if !line.hasPrefix(" "), !line.isEmpty, line != "paths:" {
                current = nil
            }
        }
        return paths.mapValues { $0.sorted() }
    }
}
