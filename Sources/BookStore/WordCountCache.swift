import BookModel
import Synchronization

/// The word count of each chapter's head, by chapter id, with the revision it was counted
/// for: a book view counts a chapter only when its head moved since the last view (a
/// revision never changes, so nothing else invalidates an entry). The save path does no
/// counting at all. One small entry per chapter ever viewed; never evicted.
final class WordCountCache: Sendable {
    private let entries = Mutex([String: (revision: Int, words: Int)]())
    /// How many texts were counted (not found in the cache): for tests.
    let countedTexts = Atomic<Int>(0)

    /// The count of `revision` of `chapter`, counting `text()` when it is not known yet.
    func words(of chapter: String, revision: Int, text: () throws -> String?) rethrows -> Int {
        if let entry = self.entries.withLock({ $0[chapter] }), entry.revision == revision { return entry.words }
        guard let text = try text() else { return 0 }
        let words = WordCount.count(markdown: text)
        self.countedTexts.add(1, ordering: .relaxed)
        self.entries.withLock { entries in
            // Two views may count at once; the newer revision stays.
            if let entry = entries[chapter], entry.revision > revision { return }
            entries[chapter] = (revision, words)
        }
        return words
    }
}
