/// Writes merge hunks as git merge-file does (xdl_fill_merge_buffer): unchanged text from
/// ours, taken changes, and conflicts between marker lines that end in CRLF when the
/// surrounding lines do.
struct MergeRenderer {
    let base: LineFile
    let ours: LineFile
    let theirs: LineFile
    let wordTexts: [[UInt8]]
    var style: MarkerStyle
    var oursLabel: String?
    var baseLabel: String?
    var theirsLabel: String?
    var markerSize: Int

    func render(_ hunks: [MergeHunk]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(max(self.ours.bytes.count, self.theirs.bytes.count) + 256)
        var i = 0
        for hunk in hunks {
            switch hunk.mode {
            case .identical:
                continue
            case .conflict:
                self.copy(self.ours, from: i, count: hunk.i1 - i, into: &out)
                self.writeConflict(hunk, into: &out)
            case .ours:
                self.copy(self.ours, from: i, count: hunk.i1 - i, into: &out)
                self.copy(self.ours, from: hunk.i1, count: hunk.chg1, into: &out)
            case .theirs:
                self.copy(self.ours, from: i, count: hunk.i1 - i, into: &out)
                self.copy(self.theirs, from: hunk.i2, count: hunk.chg2, into: &out)
            case .words(let index):
                self.copy(self.ours, from: i, count: hunk.i1 - i, into: &out)
                out.append(contentsOf: self.wordTexts[index])
            }
            i = hunk.i1 + hunk.chg1
        }
        self.copy(self.ours, from: i, count: self.ours.count - i, into: &out)
        return out
    }

    private func writeConflict(_ hunk: MergeHunk, into out: inout [UInt8]) {
        let crlf = self.needsCR(hunk)
        let size = self.markerSize > 0 ? self.markerSize : 7
        self.marker(0x3C, label: self.oursLabel, size: size, crlf: crlf, into: &out)
        self.copy(self.ours, from: hunk.i1, count: hunk.chg1, into: &out, endLine: true, crlf: crlf)
        if self.style != .merge {
            self.marker(0x7C, label: self.baseLabel, size: size, crlf: crlf, into: &out)
            self.copy(self.base, from: hunk.i0, count: hunk.chg0, into: &out, endLine: true, crlf: crlf)
        }
        self.marker(0x3D, label: nil, size: size, crlf: crlf, into: &out)
        self.copy(self.theirs, from: hunk.i2, count: hunk.chg2, into: &out, endLine: true, crlf: crlf)
        self.marker(0x3E, label: self.theirsLabel, size: size, crlf: crlf, into: &out)
    }

    private func marker(_ byte: UInt8, label: String?, size: Int, crlf: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(byte, count: size))
        if let label {
            out.append(0x20)
            out.append(contentsOf: label.utf8)
        }
        if crlf { out.append(0x0D) }
        out.append(0x0A)
    }

    /// Copies lines; with `endLine`, a last line without a newline gets one (so that a
    /// marker after it starts a line), "\r\n" when the conflict uses CRLF.
    private func copy(_ file: LineFile, from line: Int, count: Int, into out: inout [UInt8], endLine: Bool = false, crlf: Bool = false) {
        guard count > 0 else { return }
        out.append(contentsOf: file.bytes[file.starts[line] ..< file.starts[line + count]])
        if endLine && !file.endsWithNewline(line + count - 1) {
            if crlf { out.append(0x0D) }
            out.append(0x0A)
        }
    }

    /// is_cr_needed: CRLF when the lines before the conflict in ours and theirs, and the
    /// first line of the base, all end in CRLF (undecidable ones do not vote).
    private func needsCR(_ hunk: MergeHunk) -> Bool {
        var needs = Self.eolIsCRLF(self.ours, hunk.i1 > 0 ? hunk.i1 - 1 : 0)
        if needs != 0 { needs = Self.eolIsCRLF(self.theirs, hunk.i2 > 0 ? hunk.i2 - 1 : 0) }
        if needs != 0 { needs = Self.eolIsCRLF(self.base, 0) }
        return needs > 0
    }

    /// is_eol_crlf: 1 when line `i` ends in CRLF, 0 when in LF only, -1 when unknown (a
    /// last line without a newline looks at the line before it).
    static func eolIsCRLF(_ file: LineFile, _ i: Int) -> Int {
        func crlf(_ line: Int) -> Int {
            let range = file.range(line)
            return range.count > 1 && file.bytes[range.upperBound - 2] == 0x0D ? 1 : 0
        }
        if i < file.count - 1 { return crlf(i) }
        if file.count == 0 { return -1 }
        let range = file.range(i)
        if !range.isEmpty && file.bytes[range.upperBound - 1] == 0x0A { return crlf(i) }
        if i == 0 { return -1 }
        return crlf(i - 1)
    }
}
