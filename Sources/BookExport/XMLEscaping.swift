/// Escaping for XHTML text and attributes; drops characters XML 1.0 forbids (control
/// characters other than tab and newline), which Markdown happily carries.
enum XMLEscaping {
    static func text(_ s: String) -> String { self.escape(s, quotes: false) }
    static func attribute(_ s: String) -> String { self.escape(s, quotes: true) }

    private static func escape(_ s: String, quotes: Bool) -> String {
        var needsWork = false
        for u in s.utf8 where u == 0x26 || u == 0x3C || u == 0x3E || u == 0x22 || u < 0x20 || u == 0xEF {
            needsWork = true
            break
        }
        if !needsWork { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": if quotes { out += " " }
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
