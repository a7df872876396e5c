import TestSupport

/// One three-way case: texts as bytes.
struct MergeCase: Sendable {
    var name: String
    var base: [UInt8]
    var ours: [UInt8]
    var theirs: [UInt8]
}

/// Random small three-way cases that look like a chapter: prose lines, blank lines,
/// repeated lines, list items, lines without letters; both sides edit, sometimes the same
/// place, sometimes the same way; some files end without a newline, some use CRLF.
struct CaseGenerator {
    var random: SeededGenerator

    static let prose = [
        "The sprint starts on Monday.", "Everyone writes at once.", "Chapters grow by the hour.",
        "A facilitator keeps the plan.", "Nobody locks a chapter.", "We merge, we never overwrite.",
        "The book leaves as EPUB.", "Coffee is part of the method.", "Read the chapter before editing.",
        "Conflicts are rare and small.",
    ]
    static let shapes = ["", "", "- item one", "- item two", "* star", "---", "}", "  indented line", "# Heading", "1. first"]

    mutating func line() -> String {
        let roll = Int.random(in: 0 ..< 10, using: &self.random)
        if roll < 6 { return Self.prose.randomElement(using: &self.random)! }
        if roll < 9 { return Self.shapes.randomElement(using: &self.random)! }
        return "Line \(Int.random(in: 0 ..< 4, using: &self.random)) of the draft"
    }

    mutating func lines(_ count: ClosedRange<Int>) -> [String] {
        (0 ..< Int.random(in: count, using: &self.random)).map { _ in self.line() }
    }

    /// One side's edit of the base: a few deletions, insertions and replacements.
    mutating func edit(_ base: [String], near anchors: [Int]) -> [String] {
        var lines = base
        for _ in 0 ..< Int.random(in: 1 ... 3, using: &self.random) {
            let at = anchors.isEmpty || Bool.random(using: &self.random)
                ? Int.random(in: 0 ... lines.count, using: &self.random)
                : min(lines.count, max(0, anchors.randomElement(using: &self.random)! + Int.random(in: -1 ... 1, using: &self.random)))
            let removing = min(lines.count - at, Int.random(in: 0 ... 2, using: &self.random))
            let inserting = self.lines((removing == 0 ? 1 : 0) ... 3)
            lines.replaceSubrange(at ..< at + removing, with: inserting)
        }
        return lines
    }

    mutating func text(_ lines: [String], crlf: Bool, finalNewline: Bool) -> [UInt8] {
        let ending = crlf ? "\r\n" : "\n"
        var text = lines.joined(separator: ending)
        if finalNewline && !lines.isEmpty { text += ending }
        return Array(text.utf8)
    }

    /// A large case with heavy edits on both sides, so that the diffs reach xdiff's cost
    /// limits (more than 256 edits in one box) and discard runs of frequent lines.
    mutating func large(_ index: Int) -> MergeCase {
        let base = (0 ..< 1500).map { _ in Int.random(in: 0 ..< 4, using: &self.random) == 0 ? "" : self.line() }
        func heavy(_ lines: [String]) -> [String] {
            var out = lines
            for _ in 0 ..< 400 {
                let at = Int.random(in: 0 ... out.count, using: &self.random)
                let removing = min(out.count - at, Int.random(in: 0 ... 3, using: &self.random))
                out.replaceSubrange(at ..< at + removing, with: self.lines(0 ... 3))
            }
            return out
        }
        return MergeCase(
            name: "large\(index)",
            base: self.text(base, crlf: false, finalNewline: true),
            ours: self.text(heavy(base), crlf: false, finalNewline: true),
            theirs: self.text(heavy(base), crlf: false, finalNewline: Bool.random(using: &self.random)))
    }

    mutating func next(_ index: Int) -> MergeCase {
        let base = self.lines(0 ... 14)
        let anchors = (0 ..< 3).map { _ in Int.random(in: 0 ... base.count, using: &self.random) }
        let ours = self.edit(base, near: anchors)
        var theirs: [String]
        switch Int.random(in: 0 ..< 6, using: &self.random) {
        case 0: theirs = ours                              // both made the same change
        case 1: theirs = base                              // only ours changed
        case 2: theirs = self.edit(ours, near: anchors)    // theirs built on ours' change
        default: theirs = self.edit(base, near: anchors)
        }
        // Mostly LF; sometimes all CRLF; sometimes one file CRLF.
        let crlfRoll = Int.random(in: 0 ..< 10, using: &self.random)
        let crlf = [crlfRoll == 0 || crlfRoll == 1, crlfRoll == 0, crlfRoll == 0 || crlfRoll == 2]
        let finals = (0 ..< 3).map { _ in Int.random(in: 0 ..< 5, using: &self.random) != 0 }
        return MergeCase(
            name: "case\(index)",
            base: self.text(base, crlf: crlf[0], finalNewline: finals[0]),
            ours: self.text(ours, crlf: crlf[1], finalNewline: finals[1]),
            theirs: self.text(theirs, crlf: crlf[2], finalNewline: finals[2]))
    }
}
