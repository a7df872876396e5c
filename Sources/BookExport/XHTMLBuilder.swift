/// Writes XHTML while keeping a stack of open elements, so that raw HTML mixed into Markdown
/// can only ever close what it opened: output is well-formed whatever the input.
struct XHTMLBuilder {
    struct Open {
        var name: String
        /// True for elements raw HTML opened; Markdown's own elements act as barriers.
        var raw: Bool
        var line: Int
    }

    private(set) var output = ""
    private(set) var stack: [Open] = []
    /// Keeps the element stack but writes nothing: the first pass only needs the structure.
    var discarding = false
    /// Called with (line, message) when raw HTML has to be repaired.
    var warn: (Int, String) -> Void = { _, _ in }
    /// Attributes the next element written gets (the preview's `data-line`).
    var pendingAttributes: [(String, String)] = []

    /// A `rowspan` may not reach past its row group (the Nu HTML Checker's error), but the
    /// rows come later: each group's spans are recorded and cut down when it closes.
    private struct RowGroup {
        var depth: Int
        var rows = 0
        /// Where each span's digits are in `output` (UTF-8 offset, length), its row, value.
        var spans: [(offset: Int, length: Int, row: Int, value: Int)] = []
    }
    private var rowGroups: [RowGroup] = []

    init(capacity: Int = 0) { self.output.reserveCapacity(capacity) }

    mutating func append(_ markup: String) { if !self.discarding { self.output += markup } }
    mutating func text(_ s: String) { if !self.discarding { self.output += XMLEscaping.text(s) } }

    mutating func open(_ name: String, _ attributes: [(String, String)] = [], raw: Bool = false, line: Int = 0) {
        self.stack.append(Open(name: name, raw: raw, line: line))
        if self.discarding { return }
        if ["table", "thead", "tbody", "tfoot"].contains(name) { self.rowGroups.append(RowGroup(depth: self.stack.count - 1)) }
        if name == "tr", !self.rowGroups.isEmpty { self.rowGroups[self.rowGroups.count - 1].rows += 1 }
        self.output += "<" + name
        self.writePending()
        for (key, value) in attributes {
            if key == "rowspan", let span = Int(value), let group = self.rowGroups.last {
                self.output += " rowspan=\""
                self.rowGroups[self.rowGroups.count - 1].spans.append((self.output.utf8.count, value.utf8.count, group.rows - 1, span))
                self.output += value + "\""
                continue
            }
            self.output += " \(key)=\"\(XMLEscaping.attribute(value))\""
        }
        self.output += ">"
    }

    mutating func void(_ name: String, _ attributes: [(String, String)] = []) {
        if self.discarding { return }
        self.output += "<" + name
        self.writePending()
        for (key, value) in attributes { self.output += " \(key)=\"\(XMLEscaping.attribute(value))\"" }
        self.output += "/>"
    }

    /// Closes the innermost Markdown element, first closing raw elements left open in it.
    mutating func close(line: Int = 0) {
        while let top = self.stack.last, top.raw {
            self.warn(top.line, "raw HTML <\(top.name)> is never closed; closed here")
            self.popAndClose()
        }
        self.popAndClose()
    }

    /// Closes a raw element by name; returns false (caller drops the tag) when no element of
    /// that name is open since the innermost Markdown element.
    mutating func closeRaw(_ name: String, line: Int) -> Bool {
        guard let index = self.stack.lastIndex(where: { !$0.raw || $0.name == name }),
              self.stack[index].raw else { return false }
        while self.stack.count > index + 1 {
            let inner = self.stack[self.stack.count - 1]
            self.warn(line, "raw HTML <\(inner.name)> is closed by </\(name)>; closed before it")
            self.popAndClose()
        }
        self.popAndClose()
        return true
    }

    /// Closes raw elements that cannot hold a block, before a Markdown block is written.
    mutating func prepareForBlock(line: Int) {
        while let top = self.stack.last, top.raw, !HTMLElementRules.takesFlow.contains(top.name) {
            self.warn(top.line, "raw HTML <\(top.name)> cannot hold the Markdown that follows; closed before it")
            self.popAndClose()
        }
    }

    /// Whether only phrasing content may be written here.
    var inPhrasing: Bool {
        guard let top = self.stack.last else { return false }
        return !HTMLElementRules.takesFlow.contains(top.name) && !HTMLElementRules.structural.contains(top.name)
    }

    var current: String? { self.stack.last?.name }
    func isOpen(_ name: String) -> Bool { self.stack.contains { $0.name == name } }

    private mutating func writePending() {
        guard !self.pendingAttributes.isEmpty else { return }
        for (key, value) in self.pendingAttributes { self.output += " \(key)=\"\(XMLEscaping.attribute(value))\"" }
        self.pendingAttributes = []
    }

    private mutating func popAndClose() {
        guard let top = self.stack.popLast(), !self.discarding else { return }
        self.output += "</\(top.name)>"
        if let group = self.rowGroups.last, group.depth == self.stack.count {
            self.rowGroups.removeLast()
            // From the last span back, so that the offsets before it stay right.
            for span in group.spans.reversed() where span.value > max(1, group.rows - span.row) {
                let start = self.output.utf8.index(self.output.utf8.startIndex, offsetBy: span.offset)
                let end = self.output.utf8.index(start, offsetBy: span.length)
                self.output.replaceSubrange(start..<end, with: String(max(1, group.rows - span.row)))
            }
        }
    }
}
