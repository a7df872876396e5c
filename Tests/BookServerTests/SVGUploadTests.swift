import BookStore
import Foundation
import Testing

/// Uploads of hostile SVGs to a real server: stored cleaned, with what was dropped in the
/// answer; what cannot be parsed or declares entities is a 422 problem.
@Suite struct SVGUploadTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HostileSVG")

    static func corpusFiles(_ prefix: String) throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: self.corpus.path).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".svg") }.sorted()
            .map { ($0, Array(try Data(contentsOf: self.corpus.appendingPathComponent($0)))) }
    }

    /// The patterns of the corpus's `forbidden.txt` that `svg` matches.
    static func forbiddenPatterns(in svg: String) throws -> [String] {
        try String(contentsOf: self.corpus.appendingPathComponent("forbidden.txt"), encoding: .utf8).split(separator: "\n")
            .filter { try NSRegularExpression(pattern: String($0), options: .caseInsensitive).firstMatch(in: svg, range: NSRange(svg.startIndex..., in: svg)) != nil }
            .map(String.init)
    }

    @Test func hostileUploadsAreStoredCleanAndSayWhatWasDropped() async throws {
        try await withLiveServer { live in
            let files = try Self.corpusFiles("clean-")
            try #require(files.count >= 8)
            for (name, bytes) in files {
                let put = try await live.ann.call(.PUT, "\(live.path)/assets/\(name)", body: bytes, headers: [("Content-Type", "image/svg+xml")])
                #expect(put.status == 201, "\(name): \(put.text)")
                let dropped = try #require(put["dropped"] as? [String], "\(name): \(put.text)")
                #expect(!dropped.isEmpty, "\(name)")
                let got = try await live.rea.call(.GET, "\(live.path)/assets/\(name)")
                #expect(got.status == 200)
                #expect(try Self.forbiddenPatterns(in: got.text) == [], "\(name): \(got.text)")
                #expect(got.text.contains("id=\"keep\""), "\(name): \(got.text)")
                #expect(put["size"] as? Int == got.body.count)
            }
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 24)
            let plain = try await live.ann.call(.PUT, "\(live.path)/assets/p.png", body: png, headers: [("Content-Type", "image/png")])
            #expect(plain.status == 201 && (plain["dropped"] as? [String]) == [])
        }
    }

    @Test func unparsableOrEntityDeclaringSVGsAre422() async throws {
        try await withLiveServer { live in
            let files = try Self.corpusFiles("refused-")
            try #require(files.count == 4)
            for (name, bytes) in files {
                let put = try await live.ann.call(.PUT, "\(live.path)/assets/\(name)", body: bytes, headers: [("Content-Type", "image/svg+xml")])
                #expect(put.status == 422, "\(name): \(put.text)")
                #expect(put.headers["Content-Type"].first == "application/problem+json")
                #expect(put["type"] as? String == "urn:booksprint:problem:invalid-svg", "\(name): \(put.text)")
                #expect((put["detail"] as? String)?.hasPrefix("the SVG cannot be cleaned: ") == true)
                #expect(try await live.rea.call(.GET, "\(live.path)/assets/\(name)").status == 404)
            }
        }
    }
}
