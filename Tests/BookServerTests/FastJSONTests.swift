import BookStore
import Foundation
import TestSupport
import Testing

@testable import BookServer

/// The save body's JSON fast paths against Foundation's coder, the reference: whatever the
/// fast reader accepts it reads as `JSONDecoder` does, what `JSONDecoder` refuses it refuses
/// too, and what the writer writes decodes back to the same text.
@Suite struct FastJSONTests {
    static let pieces = [
        "a", "line\n", "\"", "\\", "/", "\t", "\r\n", "\u{1}", "\u{1f}", "\u{7f}", "é", "日本", "🙂", " ", "\\n", "\u{2028}",
        "\\u00e9", "\"quoted\"", "",
    ]

    func randomText(_ rng: inout some RandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...12, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
    }

    /// The fast reader's save, after checking that the literal it points at is the text's.
    func fast(_ body: String) -> Save? {
        let bytes = Array(body.utf8)
        guard let (save, literal) = bytes.withUnsafeBufferPointer(Save.fastDecode) else { return nil }
        let text = try? JSONDecoder().decode(String.self, from: Data(bytes[literal]))
        #expect(text?.utf8.elementsEqual(save.text.utf8) == true, "\(body.debugDescription)")
        return save
    }

    func reference(_ body: String) -> Save? {
        try? JSONDecoder.api.decode(Save.self, from: Data(body.utf8))
    }

    func same(_ a: Save?, _ b: Save?) -> Bool {
        a?.base == b?.base && a?.text == b?.text && a?.message == b?.message && a?.resolves == b?.resolves && (a == nil) == (b == nil)
    }

    @Test func writtenLiteralsDecodeToTheSameText() throws {
        var rng = TestSeed.generator()
        for _ in 0..<2000 {
            let text = self.randomText(&rng)
            var literal: [UInt8] = []
            JSONText.appendLiteral(text, to: &literal)
            let decoded = try JSONDecoder().decode(String.self, from: Data(literal))
            #expect(decoded.utf8.elementsEqual(text.utf8), "\(text.debugDescription) wrote \(String(decoding: literal, as: UTF8.self))")
        }
    }

    @Test func bodiesReadAsJSONDecoderReadsThem() throws {
        var rng = TestSeed.generator()
        for _ in 0..<3000 {
            var fields: [String] = []
            if Bool.random(using: &rng) { fields.append("\"base\": \(["1", "42", "-3", "null", "01", "1.0", "1e2", "\"1\"", "123456789012345678901"].randomElement(using: &rng)!)") }
            let text = self.randomText(&rng)
            var literal: [UInt8] = []
            JSONText.appendLiteral(text, to: &literal)
            let encoded = String(decoding: literal, as: UTF8.self)
            // Valid literals, and broken ones: raw controls, bad escapes, lone surrogates, no end.
            let textValue = [encoded, encoded, encoded, "\"a\u{1}b\"", "\"\\x\"", "\"\\ud800\"", "\"\\ud83d\\ude42\"", "\"\\u00E9\"", "\"open", "12"]
                .randomElement(using: &rng)!
            if Int.random(in: 0..<8, using: &rng) > 0 { fields.append("\"text\":\(textValue)") }
            if Bool.random(using: &rng) { fields.append("\"message\": \(["null", "\"saved\"", "3"].randomElement(using: &rng)!)") }
            if Bool.random(using: &rng) { fields.append("\"resolves\": \(["null", "[]", "[\"k1\", \"k2\"]", "[1]", "[\"k\",]"].randomElement(using: &rng)!)") }
            if Int.random(in: 0..<10, using: &rng) == 0 { fields.append("\"other\": 1") }
            if Int.random(in: 0..<10, using: &rng) == 0, let first = fields.first { fields.append(first) }
            fields.shuffle(using: &rng)
            var body = "{" + fields.joined(separator: [",", " , ", ",\n"].randomElement(using: &rng)!) + "}"
            if Int.random(in: 0..<12, using: &rng) == 0 { body += ["x", " ", "}", "\n"].randomElement(using: &rng)! }
            if Int.random(in: 0..<12, using: &rng) == 0 { body = String(body.dropLast()) }
            let fast = self.fast(body)
            let reference = self.reference(body)
            if fast != nil { #expect(self.same(fast, reference), "\(body.debugDescription)") }
            if reference == nil { #expect(fast == nil, "\(body.debugDescription)") }
        }
    }

    @Test func plainSaveBodiesTakeTheFastPath() {
        #expect(self.fast(#"{"base":3,"text":"one\ntwo\n"}"#)?.text == "one\ntwo\n")
        #expect(self.fast(#" { "text" : "x" , "base" : null, "resolves": ["k1"], "message": "m" } "#)?.resolves == ["k1"])
        #expect(self.fast(#"{"base":3,"text":"\ud83d\ude42 \u00e9"}"#)?.text == "🙂 é")
    }

    @Test func invalidUTF8IsLeftToTheDecoderShortOrLong() {
        for padding in [0, 300, 5000] {
            let text = Array(String(repeating: "line\\n", count: padding).utf8)
            for bad: [UInt8] in [[0xFF], [0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80]] {
                let body = Array(#"{"base":1,"text":""#.utf8) + text + bad + Array(#"x"}"#.utf8)
                #expect(body.withUnsafeBufferPointer(Save.fastDecode) == nil, "\(bad) after \(padding) lines")
            }
            let good = Array(#"{"base":1,"text":""#.utf8) + text + Array("é\"}".utf8)
            #expect(good.withUnsafeBufferPointer(Save.fastDecode)?.save.text.hasSuffix("é") == true)
        }
    }
}
