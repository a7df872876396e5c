import Foundation
import PackagePlugin

/// Embeds every file under the target's `Public/` folder in the target itself, as a
/// generated Swift source (`EmbeddedWebFiles.swift`), so that the server finds its web app
/// and OpenAPI document wherever the binary is installed. The folder is listed on every
/// build, so a new file is picked up by the next one.
@main
struct EmbedWebFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let root = target.directoryURL.appending(path: "Public", directoryHint: .isDirectory)
        let files = Self.files(under: root)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedWebFiles.swift")
        let tool = try context.tool(named: "embed-web-files")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) web files of \(target.name)",
                executable: tool.url,
                // The output, the folder, then each file as a path relative to the folder.
                arguments: [output.path, root.path] + files.map(\.relative),
                inputFiles: files.map(\.url),
                outputFiles: [output])
        ]
    }

    /// Regular files below `root`, sorted by relative path, hidden files left out.
    static func files(under root: URL) -> [(url: URL, relative: String)] {
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        let prefix = root.standardizedFileURL.path + "/"
        var found: [(url: URL, relative: String)] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            found.append((url, String(path.dropFirst(prefix.count))))
        }
        return found.sorted { $0.relative < $1.relative }
    }
}
