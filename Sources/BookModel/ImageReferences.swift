/// The images a chapter's text shows, as the store names them: the last part of each
/// image's path inside the book (`images/x.png`, `../images/x.png`: `x.png`), which is the
/// rule the store's exports resolve images by (`StoreSource`).
public enum ImageReferences {
    public static func assetNames(in text: String) -> Set<String> {
        var names = Set<String>()
        for reference in MarkdownScan.references(in: text).parsed where reference.kind == .image {
            // A chapter of the store lives at `chapters/NAME.md`.
            guard let path = BookPath.resolve(reference.destination, from: "chapters/chapter.md"),
                let name = path.split(separator: "/").last
            else { continue }
            names.insert(String(name))
        }
        return names
    }
}
