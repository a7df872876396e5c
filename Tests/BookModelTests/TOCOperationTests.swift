import Foundation
import BookModel
import Testing

@Suite struct TOCOperationTests {
    /// part p1 [a, b], c, part p2 [d]
    let toc = TableOfContents(version: 3, nodes: [
        .part(id: "p1", title: "One", children: [
            .chapter(id: "a", title: "A", chapter: "ca"),
            .chapter(id: "b", title: "B", chapter: "cb"),
        ]),
        .chapter(id: "c", title: "C", chapter: "cc"),
        .part(id: "p2", title: "Two", children: [.chapter(id: "d", title: "D", chapter: "cd")]),
    ])

    func ids(_ nodes: [TOCNode]) -> String {
        nodes.map { $0.children.isEmpty ? $0.id : "\($0.id)[\(self.ids($0.children))]" }.joined(separator: " ")
    }

    func applied(_ ops: [TOCOperation], to toc: TableOfContents? = nil) throws -> TableOfContents {
        try (toc ?? self.toc).applying(ops).get()
    }

    @Test func moveWithoutAnchorBecomesFirstChild() throws {
        let out = try self.applied([.move(node: "c", parent: "p2", after: nil)])
        #expect(self.ids(out.nodes) == "p1[a b] p2[c d]")
        #expect(out.version == 4)
    }

    @Test func moveAfterAnchorAtTopLevel() throws {
        let out = try self.applied([.move(node: "a", parent: nil, after: "c")])
        #expect(self.ids(out.nodes) == "p1[b] c a p2[d]")
    }

    @Test func moveAfterItselfKeepsThePlace() throws {
        let out = try self.applied([.move(node: "b", parent: "p1", after: "b")])
        #expect(self.ids(out.nodes) == "p1[a b] c p2[d]")
    }

    @Test func movingAPartIntoItsOwnChildIsACycle() throws {
        let nested = try self.applied([.addPart(id: "p3", title: "Three", parent: "p1", after: "b")])
        let result = nested.applying([.move(node: "p1", parent: "p3", after: nil)])
        #expect(result == .failure(TOCBatchFailure(index: 0, failure: .cycle("p1"))))
    }

    @Test func movingUnderAChapterFails() {
        #expect(self.toc.applying([.move(node: "a", parent: "c", after: nil)])
            == .failure(TOCBatchFailure(index: 0, failure: .parentNotAPart("c"))))
    }

    @Test func goneNodeOrAnchorNamesTheFailingIndexAndAppliesNothing() {
        #expect(self.toc.applying([.rename(node: "a", title: "x"), .move(node: "zz", parent: nil, after: nil)])
            == .failure(TOCBatchFailure(index: 1, failure: .nodeGone("zz"))))
        #expect(self.toc.applying([.move(node: "a", parent: "p2", after: "b")])
            == .failure(TOCBatchFailure(index: 0, failure: .anchorGone("b"))))
    }

    @Test func removingAPartLiftsItsChildrenIntoItsPlace() throws {
        let out = try self.applied([.remove(node: "p1")])
        #expect(self.ids(out.nodes) == "a b c p2[d]")
    }

    @Test func renameAndAddPart() throws {
        let out = try self.applied([
            .rename(node: "c", title: "See"), .addPart(id: "p9", title: "Nine", parent: nil, after: "c"),
        ])
        #expect(self.ids(out.nodes) == "p1[a b] c p9 p2[d]")
        #expect(out.nodes[1].title == "See")
        #expect(self.toc.applying([.addPart(id: "a", title: "dup", parent: nil, after: nil)])
            == .failure(TOCBatchFailure(index: 0, failure: .duplicateID("a"))))
    }

    /// Two facilitators reorder independent nodes from the same version: whichever lands
    /// first, the tree ends the same, with every node exactly once.
    @Test func independentConcurrentReordersCommute() throws {
        let first: [TOCOperation] = [.move(node: "d", parent: "p1", after: "a")]
        let second: [TOCOperation] = [.move(node: "c", parent: nil, after: "p2")]
        let ab = try self.applied(second, to: try self.applied(first))
        let ba = try self.applied(first, to: try self.applied(second))
        #expect(ab.nodes == ba.nodes)
        #expect(self.ids(ab.nodes) == "p1[a d b] p2 c")
    }

    /// Conflicting reorders of the same node: the later one wins, and the tree stays valid
    /// (every chapter exactly once) in either order.
    @Test func conflictingConcurrentReordersKeepEveryNodeOnce() throws {
        let first: [TOCOperation] = [.move(node: "a", parent: "p2", after: "d")]
        let second: [TOCOperation] = [.move(node: "a", parent: nil, after: nil), .remove(node: "p1")]
        for order in [[first, second], [second, first]] {
            let out = try self.applied(order[1], to: try self.applied(order[0]))
            #expect(out.chapterIDsInOrder.sorted() == ["ca", "cb", "cc", "cd"])
            #expect(out.version == 5)
        }
        let ab = try self.applied(second, to: try self.applied(first))
        #expect(self.ids(ab.nodes) == "a b c p2[d]")
        let ba = try self.applied(first, to: try self.applied(second))
        #expect(self.ids(ba.nodes) == "b c p2[d a]")
    }

    @Test func operationsTravelAsJSON() throws {
        let ops: [TOCOperation] = [
            .move(node: "a", parent: "p2", after: nil), .addPart(id: "x", title: "X", parent: nil, after: "c"),
            .rename(node: "c", title: "C2"), .remove(node: "p1"),
        ]
        let data = try JSONEncoder().encode(ops)
        #expect(try JSONDecoder().decode([TOCOperation].self, from: data) == ops)
    }
}


