import Foundation
import ZIPFoundation

extension Archive {
    /// Zip entry dates are fixed (an export's time lives in its contents, if anywhere), so
    /// the same files give the same bytes.
    private static let fixedEntryDate = Date(timeIntervalSince1970: 946_684_800)

    /// Adds `data` as a file entry at `path` with the fixed date and 0644 permissions,
    /// deflated or stored.
    func addFixedDateEntry(_ path: String, _ data: Data, compress: Bool = true) throws {
        try self.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.fixedEntryDate,
            permissions: 0o644, compressionMethod: compress ? .deflate : .none,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
}
