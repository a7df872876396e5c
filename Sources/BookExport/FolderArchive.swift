import Foundation
import ZIPFoundation

/// A folder packed as a zip archive in memory, for `/export.zip`: entries sorted by path,
/// with a fixed date and permissions, under one top folder, so the same files give the same
/// bytes and unpacking gives one tidy folder.
public enum FolderArchive {
    /// Zips every file below `folder` (hidden files too) as `root/relative/path`.
    public static func zip(_ folder: URL, root: String) throws -> Data {
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        var files: [String] = []
        if let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in enumerator
            where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                let path = url.standardizedFileURL.resolvingSymlinksInPath().path
                files.append(String(path.dropFirst(base.count).drop { $0 == "/" }))
            }
        }
        let archive = try Archive(accessMode: .create)
        for relative in files.sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(relative))
            try archive.addFixedDateEntry("\(root)/\(relative)", data)
        }
        return archive.data ?? Data()
    }
}
