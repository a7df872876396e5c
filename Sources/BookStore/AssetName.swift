/// The rule for an asset's name (its type is `ImageFormat`'s business).
public enum AssetName {
    /// One path segment of letters, digits, `-`, `_`, `.`; not `.` or `..`; 1 to 128 bytes.
    public static func isValid(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count) && name.utf8.allSatisfy(\.isNameCharacter) && name != "." && name != ".."
    }
}
