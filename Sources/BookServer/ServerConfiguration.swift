import Foundation

/// How a server is run: where it listens, where its data lives, and its limits.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Folder of the store (`booksprint.sqlite` inside).
    public var dataDirectory: URL
    /// Largest JSON request body.
    public var maxBodySize: Int
    /// Largest asset.
    public var maxAssetSize: Int
    /// How often an idle event stream sends a comment to keep proxies from closing it.
    public var keepAliveInterval: Duration
    /// Longest `wait` a long-poll of the changes feed may ask for.
    public var maxLongPoll: Duration
    /// For development: a folder to serve the web app's files from, read on every request,
    /// instead of the copies embedded in the binary (`serve` takes it from
    /// `BOOKSPRINT_WEB_ROOT`; normally `Sources/BookServer/Public`).
    public var webRoot: URL?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: URL = URL(fileURLWithPath: "data"),
        maxBodySize: Int = 4 << 20, maxAssetSize: Int = 10 << 20, keepAliveInterval: Duration = .seconds(15),
        maxLongPoll: Duration = .seconds(60), webRoot: URL? = nil
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.maxBodySize = maxBodySize
        self.maxAssetSize = maxAssetSize
        self.keepAliveInterval = keepAliveInterval
        self.maxLongPoll = maxLongPoll
        self.webRoot = webRoot
    }

    /// The store file inside the data directory.
    public var databasePath: String {
        self.dataDirectory.appendingPathComponent("booksprint.sqlite").path
    }
}

extension ServerConfiguration {
    /// Creates the data directory readable by its owner only (0700) and the store file 0600
    /// before SQLite opens it: SQLite gives the WAL and shared-memory files the store file's
    /// mode, and everything else (books, assets, password hashes) lives inside the store. A
    /// directory or files made before, more open, are narrowed to the same modes.
    func prepareDataDirectory() throws {
        let files = FileManager.default
        let directory = self.dataDirectory.path
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        let store = self.databasePath
        if !files.fileExists(atPath: store) {
            guard files.createFile(atPath: store, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: store])
            }
        }
        for path in [store, store + "-wal", store + "-shm"] where files.fileExists(atPath: path) {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
    }
}
