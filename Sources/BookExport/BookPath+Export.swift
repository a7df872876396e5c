import BookModel

extension BookPath {
    /// The last component without its extension (`chapters/Über uns.md` -> `Über uns`).
    static func stem(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// Percent-encodes what may not appear in an href as written (spaces, non-ASCII,
    /// quotes), keeping what already is encoded.
    static func encodeHref(_ url: String) -> String {
        var out = ""
        for byte in url.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-_.~!*'();:@&=+$,/?#%[]".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
