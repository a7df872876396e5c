import CMarkGFM

/// A chapter's Markdown parsed by cmark-gfm (GitHub tables, strikethrough, autolinks, task
/// lists, footnotes); owns the C tree and frees it when released.
final class MarkdownDocument {
    let root: MarkdownNode

    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]

    /// Registers cmark-gfm's extensions; call once before parsing on several threads.
    static func prepare() { cmark_gfm_core_extensions_ensure_registered() }

    init(_ text: String) {
        cmark_gfm_core_extensions_ensure_registered()
        // UNSAFE keeps raw HTML in the tree: the renderer decides what survives, not cmark.
        let options = CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8
        let parser = cmark_parser_new(options)
        defer { cmark_parser_free(parser) }
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var text = text
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        self.root = MarkdownNode(pointer: cmark_parser_finish(parser))
    }

    deinit { cmark_node_free(self.root.pointer) }
}

/// One node of a parsed document: a borrowed view, valid while its document lives.
struct MarkdownNode {
    enum Kind: Equatable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, paragraph, heading
        case thematicBreak, footnoteDefinition, text, softBreak, lineBreak, code, htmlInline
        case emphasis, strong, link, image, footnoteReference
        case table, tableHeader, tableRow, tableCell, strikethrough, taskItem
        case other
    }

    let pointer: OpaquePointer

    var kind: Kind {
        switch cmark_node_get_type(self.pointer) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list
        // Task list items are items whose type name the tasklist extension changes.
        case CMARK_NODE_ITEM:
            return String(cString: cmark_node_get_type_string(self.pointer)) == "tasklist" ? .taskItem : .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_FOOTNOTE_DEFINITION: return .footnoteDefinition
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_IMAGE: return .image
        case CMARK_NODE_FOOTNOTE_REFERENCE: return .footnoteReference
        default:
            // Extension nodes have types allocated at run time; their names are stable.
            switch String(cString: cmark_node_get_type_string(self.pointer)) {
            case "table": return .table
            case "table_header": return .tableHeader
            case "table_row": return .tableRow
            case "table_cell": return .tableCell
            case "strikethrough": return .strikethrough
            case "tasklist": return .taskItem
            default: return .other
            }
        }
    }

    var children: MarkdownChildren { MarkdownChildren(first: cmark_node_first_child(self.pointer)) }
    var parent: MarkdownNode? { cmark_node_parent(self.pointer).map(MarkdownNode.init) }

    var literal: String { cmark_node_get_literal(self.pointer).map { String(cString: $0) } ?? "" }
    var url: String { cmark_node_get_url(self.pointer).map { String(cString: $0) } ?? "" }
    var title: String { cmark_node_get_title(self.pointer).map { String(cString: $0) } ?? "" }
    var fenceInfo: String { cmark_node_get_fence_info(self.pointer).map { String(cString: $0) } ?? "" }
    var headingLevel: Int { Int(cmark_node_get_heading_level(self.pointer)) }
    var isOrderedList: Bool { cmark_node_get_list_type(self.pointer) == CMARK_ORDERED_LIST }
    var listStart: Int { Int(cmark_node_get_list_start(self.pointer)) }
    var isTightList: Bool { cmark_node_get_list_tight(self.pointer) != 0 }
    var isChecked: Bool { cmark_gfm_extensions_get_tasklist_item_checked(self.pointer) }
    var line: Int { Int(cmark_node_get_start_line(self.pointer)) }
    var endLine: Int { Int(cmark_node_get_end_line(self.pointer)) }

    /// Column alignments of a table: "left", "center", "right" or nil.
    var tableAlignments: [String?] {
        let count = Int(cmark_gfm_extensions_get_table_columns(self.pointer))
        guard let raw = cmark_gfm_extensions_get_table_alignments(self.pointer) else { return [] }
        return (0..<count).map { i -> String? in
            switch raw[i] {
            case UInt8(ascii: "l"): return "left"
            case UInt8(ascii: "c"): return "center"
            case UInt8(ascii: "r"): return "right"
            default: return nil
            }
        }
    }

    /// The node's text with all markup removed (for titles, alt text, slugs).
    var plainText: String {
        var out = ""
        func walk(_ node: MarkdownNode) {
            switch node.kind {
            case .text, .code: out += node.literal
            case .softBreak, .lineBreak: out += " "
            default: for child in node.children { walk(child) }
            }
        }
        walk(self)
        return out
    }
}

/// The children of a node, first to last.
struct MarkdownChildren: Sequence, IteratorProtocol {
    var first: OpaquePointer?
    mutating func next() -> MarkdownNode? {
        guard let current = self.first else { return nil }
        self.first = cmark_node_next(current)
        return MarkdownNode(pointer: current)
    }
}
