import Foundation

/// The images a chapter's text shows, as the store names them: the last part of each
/// image's path inside the book (`images/x.png`, `../Images/x.png`: `x.png`), which is the
/// rule the store's exports resolve images by (`StoreSource`).
public enum ImageReferences {
    public static func assetNames(in text: String) -> Set<String> {
        var names = Set<String>()
        for reference in MarkdownScan.references(in: text).parsed where reference.kind == .image {
            var path = reference.destination
            if BookPath.isRemote(path) || path.hasPrefix("data:") { continue }
            if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = String(path[..<cut]) }
            guard let normal = BookPath.normalise(path.removingPercentEncoding ?? path),
                let name = normal.split(separator: "/").last
            else { continue }
            names.insert(String(name))
        }
        return names
    }
}
