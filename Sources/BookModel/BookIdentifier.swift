import Foundation

/// Identifiers for books that do not bring one.
public enum BookIdentifier {
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "svg", "webp"]

    /// A `urn:uuid:` derived from the title and authors, so exporting the same tree twice
    /// gives the same identifier and readers do not see two books.
    public static func derived(title: String, authors: [String]) -> String {
        Self.derived(from: ([title] + authors).joined(separator: "\u{1F}"))
    }

    /// A `urn:uuid:` (version 8, RFC 4122 variant) made from two FNV-1a hashes of `name`:
    /// the same name always gives the same identifier.
    public static func derived(from name: String) -> String {
        let key = Array(name.utf8)
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in key {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            return hash
        }
        var bytes = withUnsafeBytes(of: fnv(0xcbf2_9ce4_8422_2325).bigEndian, Array.init)
            + withUnsafeBytes(of: fnv(0x84222325_cbf29ce4).bigEndian, Array.init)
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8: custom
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let groups = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return "urn:uuid:" + groups.joined(separator: "-")
    }
}
