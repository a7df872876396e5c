import BookModel
import GRDB

extension AppDatabase {
    /// The book's assets (readers and up), each with the chapters whose head texts show it
    /// (`ImageReferences`), in title order.
    public func assetsWithUses(of book: String, user: User) async throws -> [AssetInfo] {
        let assets = try await self.assets(of: book, user: user)
        let uses = try await self.read { db in
            var uses: [String: [AssetUse]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, title, head FROM chapter WHERE bookId = ? AND NOT deleted ORDER BY title, id", arguments: [book])
            {
                let (id, title, head): (String, String, Int) = (row["id"], row["title"], row["head"])
                guard let text = try self.revisionText(head, of: id, db) else { continue }
                for name in ImageReferences.assetNames(in: text) { uses[name, default: []].append(AssetUse(chapter: id, title: title)) }
            }
            return uses
        }
        return assets.map { asset in
            var asset = asset
            asset.usedBy = uses[asset.name] ?? []
            return asset
        }
    }
}
