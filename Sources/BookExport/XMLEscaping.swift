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

/// Names and ids that are safe everywhere: in the container, in URLs, as XML ids.
enum Slug {
    /// GitHub-style heading slug restricted to ASCII: lowercase letters and digits kept,
    /// accents folded, spaces and dashes become one dash, everything else dropped.
    static func make(_ s: String) -> String {
        let folded = s.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            let v = scalar.value
            let isAlnum = (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
            if isAlnum || scalar == "_" {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar)
            } else if scalar == " " || scalar == "-" || scalar == "." || scalar == "\t" || scalar == "/" {
                pendingDash = true
            }
        }
        return out
    }
}

/// Hands out names that are unique within one namespace, in a stable order:
/// `name`, `name-1`, `name-2`, ...
struct UniqueNames {
    private var used: Set<String> = []

    mutating func claim(_ base: String) -> String {
        var candidate = base
        var n = 1
        while self.used.contains(candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        self.used.insert(candidate)
        return candidate
    }

    func contains(_ name: String) -> Bool { self.used.contains(name) }
}
