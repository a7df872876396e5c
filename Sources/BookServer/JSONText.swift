/// JSON strings read and written directly on UTF-8 bytes, for the one body that is large
/// and frequent: a save carries a whole chapter (a 2,000-line chapter is 130 KiB, a newline
/// escape on every line), and its answer carries it back. Foundation's coder spends most of
/// a save's CPU time there; these loops copy runs of plain bytes whole.
enum JSONText {
    /// Appends `text` as a JSON string literal, quotes included. Escapes what JSON requires
    /// (quote, backslash, control characters) and nothing else, as `JSONEncoder` does with
    /// `.withoutEscapingSlashes`.
    static func appendLiteral(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            out.reserveCapacity(out.count + bytes.count + bytes.count / 16 + 2)
            out.append(UInt8(ascii: "\""))
            var at = 0
            while true {
                let run = Self.plainRun(bytes, from: at)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at ..< at + run]))
                at += run
                guard at < bytes.count else { break }
                let byte = bytes[at]
                at += 1
                switch byte {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0x08: out += [0x5C, UInt8(ascii: "b")]
                case 0x0C: out += [0x5C, UInt8(ascii: "f")]
                default: out += Array("\\u00".utf8) + [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]]
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// The length of the run of bytes from `start` that need no escape in a JSON string
    /// (not a quote, a backslash or a control character), eight bytes at a time. (A
    /// `SIMD16<UInt8>` version was tried: it made bench-sync's saves six times slower.)
    static func plainRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var at = start
        while bytes.count - at >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self))
            if Self.needsEscape(word) { break }
            at += 8
        }
        while at < bytes.count, !Self.needsEscape(bytes[at]) { at += 1 }
        return at - start
    }

    @inline(__always) static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C
    }

    /// Whether any of the word's eight bytes is below 0x20, a quote or a backslash (the
    /// classic "has zero byte" and "has byte less than" bit tricks).
    @inline(__always) static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
    }
}

/// A reader of the JSON values a save body holds (objects, strings, integers, null,
/// arrays of strings), strict about JSON's grammar. It answers nil to anything it does not
/// take, and the caller falls back to `JSONDecoder`, which then explains what is wrong: so
/// this needs to be right only about the bodies it accepts.
struct JSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { self.at == self.bytes.count }

    mutating func skipSpace() {
        while self.at < self.bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(self.bytes[self.at]) { self.at += 1 }
    }

    /// Consumes `byte` (after any white space) if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        self.skipSpace()
        guard self.at < self.bytes.count, self.bytes[self.at] == byte else { return false }
        self.at += 1
        return true
    }

    mutating func takeNull() -> Bool {
        self.skipSpace()
        guard self.bytes.count - self.at >= 4, self.bytes[self.at ..< self.at + 4].elementsEqual("null".utf8) else { return false }
        self.at += 4
        return true
    }

    /// A non-negative or negative integer without fraction or exponent, of at most 18 digits.
    mutating func integer() -> Int? {
        self.skipSpace()
        let negative = self.at < self.bytes.count && self.bytes[self.at] == UInt8(ascii: "-")
        var at = self.at + (negative ? 1 : 0)
        let first = at
        var value = 0
        while at < self.bytes.count, (0x30...0x39).contains(self.bytes[at]), at - first < 18 {
            value = value * 10 + Int(self.bytes[at] - 0x30)
            at += 1
        }
        let digits = at - first
        guard digits > 0, !(digits > 1 && self.bytes[first] == 0x30) else { return nil }
        if at < self.bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(self.bytes[at]) || (0x30...0x39).contains(self.bytes[at]) {
            return nil
        }
        self.at = at
        return negative ? -value : value
    }

    /// A string literal; nil for anything but a well-formed one with valid escapes and valid
    /// UTF-8. Decoded in one pass straight into the string's storage: room for the rest of
    /// the body when the literal is long (a chapter's text is most of its body), else room
    /// for the literal, whose end a short look finds.
    mutating func string() -> String? {
        guard self.take(UInt8(ascii: "\"")) else { return nil }
        let start = self.at
        let room = self.endWithin(256, from: start).map { $0 - start } ?? (self.bytes.count - start)
        var wellFormed = true
        let text = String(unsafeUninitializedCapacity: room) { out in
            guard let count = self.decodeLiteral(into: out) else {
                wellFormed = false
                return 0
            }
            return count
        }
        // Escapes are ASCII and give whole scalars, so the text is valid UTF-8 exactly when the
        // literal's own bytes are (the string above repairs bad bytes rather than refusing them).
        guard wellFormed, (try? UTF8Span(validating: UnsafeBufferPointer(rebasing: self.bytes[start ..< self.at - 1]).span)) != nil
        else { return nil }
        return text
    }

    /// Where the literal from `start` ends (its closing quote), if within `limit` bytes.
    private func endWithin(_ limit: Int, from start: Int) -> Int? {
        var end = start
        while end < min(self.bytes.count, start + limit) {
            end += JSONText.plainRun(self.bytes, from: end)
            guard end < self.bytes.count, end < start + limit else { return nil }
            if self.bytes[end] == 0x22 { return end }
            guard self.bytes[end] == 0x5C else { return nil }
            end += 2
        }
        return nil
    }

    /// Decodes the literal's content up to and past its closing quote into `out`; the count
    /// of bytes written, nil when malformed or when `out` is too small.
    private mutating func decodeLiteral(into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var count = 0
        func put(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard bytes.count <= out.count - count else { return false }
            if let source = bytes.baseAddress { (out.baseAddress! + count).update(from: source, count: bytes.count) }
            count += bytes.count
            return true
        }
        func put(_ byte: UInt8) -> Bool {
            guard count < out.count else { return false }
            out[count] = byte
            count += 1
            return true
        }
        while true {
            let run = JSONText.plainRun(self.bytes, from: self.at)
            guard put(UnsafeBufferPointer(rebasing: self.bytes[self.at ..< self.at + run])) else { return nil }
            self.at += run
            guard self.at < self.bytes.count else { return nil }
            let byte = self.bytes[self.at]
            if byte == 0x22 {
                self.at += 1
                return count
            }
            guard byte == 0x5C, self.at + 1 < self.bytes.count else { return nil }  // a raw control character
            let escape = self.bytes[self.at + 1]
            self.at += 2
            let written: Bool
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): written = put(escape)
            case UInt8(ascii: "n"): written = put(0x0A)
            case UInt8(ascii: "r"): written = put(0x0D)
            case UInt8(ascii: "t"): written = put(0x09)
            case UInt8(ascii: "b"): written = put(0x08)
            case UInt8(ascii: "f"): written = put(0x0C)
            case UInt8(ascii: "u"):
                guard let scalar = self.unicodeEscape() else { return nil }
                written = Array(String(Character(scalar)).utf8).withUnsafeBufferPointer(put)
            default: return nil
            }
            guard written else { return nil }
        }
    }

    /// The scalar of `XXXX` after `\u` (a surrogate pair takes its second `\uXXXX` too).
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = self.hex4() else { return nil }
        if (0xD800...0xDBFF).contains(high) {
            guard self.bytes.count - self.at >= 2, self.bytes[self.at] == 0x5C, self.bytes[self.at + 1] == UInt8(ascii: "u") else { return nil }
            self.at += 2
            guard let low = self.hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)
    }

    private mutating func hex4() -> UInt32? {
        guard self.bytes.count - self.at >= 4 else { return nil }
        var value: UInt32 = 0
        for byte in self.bytes[self.at ..< self.at + 4] {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        self.at += 4
        return value
    }
}
