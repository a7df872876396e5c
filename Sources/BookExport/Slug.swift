import Foundation

/// Names and ids that are safe everywhere: in the container, in URLs, as XML ids.
enum Slug {
    /// GitHub-style heading slug restricted to ASCII: lowercase letters and digits kept,
    /// accents folded, spaces and dashes become one dash, everything else dropped.
    /// Not BookModel's `FileSlug`: heading ids must be the ones GitHub and mdBook give (authors
    /// link to `#dont-panic` for "Don't panic", keep `_`, no length cap), while file names
    /// split on any punctuation and stay short.
    static func make(_ s: String) -> String {
        // Folding goes through Foundation; plain ASCII (most headings) needs none.
        let folded = s.utf8.allSatisfy { $0 < 0x80 } ? s
            : s.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
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
}
