import CMarkGFM

/// The nodes below and including one cmark node in document order, each on entering and,
/// for nodes with children, on leaving: `for (node, entering) in MarkdownWalk(document)`.
/// Frees cmark's iterator when released; valid while the tree lives.
final class MarkdownWalk: Sequence, IteratorProtocol {
    private let iterator: OpaquePointer

    init(_ node: OpaquePointer) {
        self.iterator = cmark_iter_new(node)!
    }

    deinit { cmark_iter_free(self.iterator) }

    func next() -> (node: OpaquePointer, entering: Bool)? {
        let event = cmark_iter_next(self.iterator)
        guard event != CMARK_EVENT_DONE else { return nil }
        return (cmark_iter_get_node(self.iterator)!, event == CMARK_EVENT_ENTER)
    }
}
