/// One change to the table of contents, naming nodes by stable id so that it can be applied
/// to whatever the tree has become since the sender last saw it.
public enum TOCOperation: Sendable, Equatable {
    /// Moves `node` under `parent` (nil: the top level), right after the sibling `after`
    /// (nil: as the first child).
    case move(node: String, parent: String?, after: String?)
    /// Adds an empty part with the given id (the server picks it) at the given place.
    case addPart(id: String, title: String, parent: String?, after: String?)
    case rename(node: String, title: String)
    /// Removes a node; a part's children take its place.
    case remove(node: String)
}

/// Why an operation no longer makes sense on the current tree.
public enum TOCOperationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case nodeGone(String)
    case anchorGone(String)
    case parentNotAPart(String)
    case cycle(String)
    case duplicateID(String)

    public var description: String {
        switch self {
        case .nodeGone(let id): "node \(id) is no longer in the table of contents"
        case .anchorGone(let id): "anchor \(id) is no longer a child of the given parent"
        case .parentNotAPart(let id): "node \(id) is not a part and cannot hold children"
        case .cycle(let id): "moving \(id) there would put a part inside itself"
        case .duplicateID(let id): "a node with id \(id) already exists"
        }
    }
}

/// A failed batch: which operation (0-based) failed and why; nothing was applied.
public struct TOCBatchFailure: Error, Sendable, Equatable {
    public var index: Int
    public var failure: TOCOperationFailure

    public init(index: Int, failure: TOCOperationFailure) {
        self.index = index
        self.failure = failure
    }
}

extension TOCOperation {
    /// The tree after this operation, or why it cannot be applied.
    public func apply(to nodes: [TOCNode]) -> Result<[TOCNode], TOCOperationFailure> {
        var tree = nodes
        switch self {
        case .move(let id, let parent, let after):
            guard let path = TOCTree.path(of: id, in: tree) else { return .failure(.nodeGone(id)) }
            if let parent {
                guard let parentPath = TOCTree.path(of: parent, in: tree) else { return .failure(.anchorGone(parent)) }
                if parentPath.starts(with: path) { return .failure(.cycle(id)) }
                guard TOCTree.node(at: parentPath, in: tree).kind == .part else { return .failure(.parentNotAPart(parent)) }
            }
            // Moving a node after itself keeps it where it is, when it already sits under `parent`.
            if after == id {
                return TOCTree.parentID(of: path, in: tree) == parent ? .success(tree) : .failure(.anchorGone(id))
            }
            let node = TOCTree.removeNode(at: path, from: &tree)
            return TOCTree.insert(node, parent: parent, after: after, into: &tree).map { tree }
        case .addPart(let id, let title, let parent, let after):
            if TOCTree.path(of: id, in: tree) != nil { return .failure(.duplicateID(id)) }
            if let parent {
                guard let parentPath = TOCTree.path(of: parent, in: tree) else { return .failure(.anchorGone(parent)) }
                guard TOCTree.node(at: parentPath, in: tree).kind == .part else { return .failure(.parentNotAPart(parent)) }
            }
            return TOCTree.insert(.part(id: id, title: title), parent: parent, after: after, into: &tree).map { tree }
        case .rename(let id, let title):
            guard let path = TOCTree.path(of: id, in: tree) else { return .failure(.nodeGone(id)) }
            TOCTree.modify(at: path, in: &tree) { $0.title = title }
            return .success(tree)
        case .remove(let id):
            guard let path = TOCTree.path(of: id, in: tree) else { return .failure(.nodeGone(id)) }
            let node = TOCTree.removeNode(at: path, from: &tree)
            let index = path.last!
            TOCTree.modifyChildren(of: Array(path.dropLast()), in: &tree) {
                $0.insert(contentsOf: node.children, at: index)
            }
            return .success(tree)
        }
    }

}

extension TableOfContents {
    /// Applies operations in order, all or nothing; the version goes up by one on success.
    public func applying(_ operations: [TOCOperation]) -> Result<TableOfContents, TOCBatchFailure> {
        var nodes = self.nodes
        for (index, operation) in operations.enumerated() {
            switch operation.apply(to: nodes) {
            case .success(let next): nodes = next
            case .failure(let failure): return .failure(TOCBatchFailure(index: index, failure: failure))
            }
        }
        return .success(TableOfContents(version: self.version + 1, nodes: nodes))
    }

    /// Adds a new node (a chapter just created) under `parent` (nil: the top level) after
    /// `after`, or at the end when `after` is nil; the version goes up by one.
    public func adding(_ node: TOCNode, parent: String?, after: String?) -> Result<TableOfContents, TOCOperationFailure> {
        var nodes = self.nodes
        var anchor = after
        if anchor == nil {
            let siblings = parent.flatMap { TOCTree.path(of: $0, in: nodes) }.map { TOCTree.node(at: $0, in: nodes).children } ?? nodes
            anchor = siblings.last?.id
        }
        if let parent, let path = TOCTree.path(of: parent, in: nodes), TOCTree.node(at: path, in: nodes).kind != .part {
            return .failure(.parentNotAPart(parent))
        }
        return TOCTree.insert(node, parent: parent, after: anchor, into: &nodes)
            .map { TableOfContents(version: self.version + 1, nodes: nodes) }
    }

    /// The node that shows `chapter`, if the chapter is in the table of contents.
    public func nodeID(ofChapter chapter: String) -> String? {
        func find(_ nodes: [TOCNode]) -> String? {
            for node in nodes {
                if node.chapter == chapter { return node.id }
                if let found = find(node.children) { return found }
            }
            return nil
        }
        return find(self.nodes)
    }
}

/// Index-path helpers over a `[TOCNode]` forest; a path lists child indexes from the top.
enum TOCTree {
    static func path(of id: String, in nodes: [TOCNode]) -> [Int]? {
        for (i, node) in nodes.enumerated() {
            if node.id == id { return [i] }
            if let rest = path(of: id, in: node.children) { return [i] + rest }
        }
        return nil
    }

    static func node(at path: [Int], in nodes: [TOCNode]) -> TOCNode {
        var node = nodes[path[0]]
        for i in path.dropFirst() { node = node.children[i] }
        return node
    }

    static func parentID(of path: [Int], in nodes: [TOCNode]) -> String? {
        path.count == 1 ? nil : self.node(at: Array(path.dropLast()), in: nodes).id
    }

    static func modify(at path: [Int], in nodes: inout [TOCNode], _ change: (inout TOCNode) -> Void) {
        if path.count == 1 {
            change(&nodes[path[0]])
        } else {
            self.modify(at: Array(path.dropFirst()), in: &nodes[path[0]].children, change)
        }
    }

    /// Changes the child list of the node at `path` (the top level when `path` is empty).
    static func modifyChildren(of path: [Int], in nodes: inout [TOCNode], _ change: (inout [TOCNode]) -> Void) {
        if path.isEmpty {
            change(&nodes)
        } else {
            self.modify(at: path, in: &nodes) { change(&$0.children) }
        }
    }

    static func removeNode(at path: [Int], from nodes: inout [TOCNode]) -> TOCNode {
        var removed: TOCNode?
        self.modifyChildren(of: Array(path.dropLast()), in: &nodes) { removed = $0.remove(at: path.last!) }
        return removed!
    }

    static func insert(
        _ node: TOCNode, parent: String?, after: String?, into nodes: inout [TOCNode]
    ) -> Result<Void, TOCOperationFailure> {
        var parentPath: [Int] = []
        if let parent {
            guard let found = self.path(of: parent, in: nodes) else { return .failure(.anchorGone(parent)) }
            parentPath = found
        }
        var outcome: Result<Void, TOCOperationFailure> = .success(())
        self.modifyChildren(of: parentPath, in: &nodes) { children in
            guard let after else {
                children.insert(node, at: 0)
                return
            }
            guard let anchor = children.firstIndex(where: { $0.id == after }) else {
                outcome = .failure(.anchorGone(after))
                return
            }
            children.insert(node, at: anchor + 1)
        }
        return outcome
    }
}

/// The wire form of the protocol: `{op: "move", node, parent?, after?}` and so on. An
/// `addPart` that arrives without `id` decodes with an empty id; the server fills it in.
extension TOCOperation: Codable {
    enum CodingKeys: String, CodingKey { case op, node, parent, after, title, id }
    enum Kind: String, Codable { case move, addPart, rename, remove }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .op) {
        case .move:
            self = .move(
                node: try c.decode(String.self, forKey: .node),
                parent: try c.decodeIfPresent(String.self, forKey: .parent),
                after: try c.decodeIfPresent(String.self, forKey: .after))
        case .addPart:
            self = .addPart(
                id: try c.decodeIfPresent(String.self, forKey: .id) ?? "",
                title: try c.decode(String.self, forKey: .title),
                parent: try c.decodeIfPresent(String.self, forKey: .parent),
                after: try c.decodeIfPresent(String.self, forKey: .after))
        case .rename:
            self = .rename(node: try c.decode(String.self, forKey: .node), title: try c.decode(String.self, forKey: .title))
        case .remove:
            self = .remove(node: try c.decode(String.self, forKey: .node))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .move(let node, let parent, let after):
            try c.encode(Kind.move, forKey: .op)
            try c.encode(node, forKey: .node)
            try c.encodeIfPresent(parent, forKey: .parent)
            try c.encodeIfPresent(after, forKey: .after)
        case .addPart(let id, let title, let parent, let after):
            try c.encode(Kind.addPart, forKey: .op)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encodeIfPresent(parent, forKey: .parent)
            try c.encodeIfPresent(after, forKey: .after)
        case .rename(let node, let title):
            try c.encode(Kind.rename, forKey: .op)
            try c.encode(node, forKey: .node)
            try c.encode(title, forKey: .title)
        case .remove(let node):
            try c.encode(Kind.remove, forKey: .op)
            try c.encode(node, forKey: .node)
        }
    }
}
