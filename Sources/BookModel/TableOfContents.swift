/// The book's table of contents: a tree of parts (which may nest) and chapters, each node
/// named by a stable id so that structure changes travel as operations, not snapshots.
public struct TableOfContents: Codable, Sendable, Equatable {
    /// Counts up by one with every accepted batch of operations.
    public var version: Int
    public var nodes: [TOCNode]

    public init(version: Int = 1, nodes: [TOCNode] = []) {
        self.version = version
        self.nodes = nodes
    }
}

/// One node of the table of contents: a part with children, or a chapter.
public struct TOCNode: Codable, Sendable, Equatable, Identifiable {
    public enum Kind: String, Codable, Sendable { case part, chapter }

    public var id: String
    public var kind: Kind
    public var title: String
    /// The chapter this node shows (chapters only).
    public var chapter: String?
    /// The children of a part (parts only; empty for chapters).
    public var children: [TOCNode]

    public init(id: String, kind: Kind, title: String, chapter: String? = nil, children: [TOCNode] = []) {
        self.id = id
        self.kind = kind
        self.title = title
        self.chapter = chapter
        self.children = children
    }

    public static func part(id: String, title: String, children: [TOCNode] = []) -> TOCNode {
        TOCNode(id: id, kind: .part, title: title, children: children)
    }

    public static func chapter(id: String, title: String, chapter: String) -> TOCNode {
        TOCNode(id: id, kind: .chapter, title: title, chapter: chapter)
    }

    enum CodingKeys: String, CodingKey { case id, kind, title, chapter, children }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try c.decode(String.self, forKey: .id)
        self.kind = try c.decode(Kind.self, forKey: .kind)
        self.title = try c.decode(String.self, forKey: .title)
        self.chapter = try c.decodeIfPresent(String.self, forKey: .chapter)
        self.children = try c.decodeIfPresent([TOCNode].self, forKey: .children) ?? []
    }

    /// Chapters carry `chapter` and no `children`; parts always carry `children`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.id, forKey: .id)
        try c.encode(self.kind, forKey: .kind)
        try c.encode(self.title, forKey: .title)
        try c.encodeIfPresent(self.chapter, forKey: .chapter)
        if self.kind == .part { try c.encode(self.children, forKey: .children) }
    }
}

extension TableOfContents {
    /// Every chapter id in reading order (depth first).
    public var chapterIDsInOrder: [String] {
        var out: [String] = []
        func walk(_ nodes: [TOCNode]) {
            for n in nodes {
                if let ch = n.chapter { out.append(ch) }
                walk(n.children)
            }
        }
        walk(self.nodes)
        return out
    }
}
