import Foundation

/// Names made from titles for files people download or edit (`Why labs?` -> `why-labs`):
/// lowercase ASCII letters and digits joined by `-`, at most 60 characters, so they are
/// safe in any file system, URL and `Content-Disposition` header.
public enum FileSlug {
    /// The slug of `title`, or `fallback` when the title has no ASCII letter or digit.
    public static func make(_ title: String, fallback: String) -> String {
        var out = ""
        var pendingDash = false
        // Accents go (`Über` -> `uber`) rather than splitting the word.
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if pendingDash, !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
                if out.count >= 60 { break }
            } else {
                pendingDash = true
            }
        }
        return out.isEmpty ? fallback : out
    }
}
