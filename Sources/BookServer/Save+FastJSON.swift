import BookStore

extension Save {
    /// The save body read without `JSONDecoder` (see `JSONText`): an object with `base`,
    /// `text`, `message` and `resolves`, each at most once, nothing else; with where the
    /// text's JSON literal is in the body, so that an answer with the same text can copy it.
    /// Nil for any other body; `JSONDecoder` then reads it, or says what is wrong with it.
    static func fastDecode(_ bytes: UnsafeBufferPointer<UInt8>) -> (save: Save, textLiteral: Range<Int>)? {
        var json = JSONCursor(bytes)
        guard json.take(UInt8(ascii: "{")) else { return nil }
        var base: Int??, text: String?, message: String??, resolves: [String]??
        var literal = 0 ..< 0
        if !json.take(UInt8(ascii: "}")) {
            repeat {
                guard let key = json.string(), json.take(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "base" where base == nil:
                    if json.takeNull() { base = .some(nil) } else { guard let value = json.integer() else { return nil }; base = value }
                case "text" where text == nil:
                    json.skipSpace()
                    let start = json.at
                    guard let value = json.string() else { return nil }
                    text = value
                    literal = start ..< json.at
                case "message" where message == nil:
                    if json.takeNull() { message = .some(nil) } else { guard let value = json.string() else { return nil }; message = value }
                case "resolves" where resolves == nil:
                    if json.takeNull() { resolves = .some(nil); break }
                    guard json.take(UInt8(ascii: "[")) else { return nil }
                    var ids: [String] = []
                    if !json.take(UInt8(ascii: "]")) {
                        repeat {
                            guard let id = json.string() else { return nil }
                            ids.append(id)
                        } while json.take(UInt8(ascii: ","))
                        guard json.take(UInt8(ascii: "]")) else { return nil }
                    }
                    resolves = ids
                default:
                    return nil
                }
            } while json.take(UInt8(ascii: ","))
            guard json.take(UInt8(ascii: "}")) else { return nil }
        }
        json.skipSpace()
        guard json.atEnd, let text else { return nil }
        return (Save(base: base ?? nil, text: text, message: message ?? nil, resolves: resolves ?? nil), literal)
    }
}
