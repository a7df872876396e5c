import BookModel
import Foundation

/// A person who can log in.
public struct User: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var isAdmin: Bool
    /// Set for a first-start or reset password: until the user picks a new one, the server
    /// answers only the password change, `/me` and `/logout`. Not part of the user's JSON.
    public var mustChangePassword = false

    enum CodingKeys: String, CodingKey { case id, name, isAdmin }
}

/// A user's role on one book; later cases can do everything earlier ones can.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case reader, author, facilitator

    public static func < (a: Role, b: Role) -> Bool {
        Self.allCases.firstIndex(of: a)! < Self.allCases.firstIndex(of: b)!
    }
}

/// A book as `GET /books/{book}` shows it.
public struct BookView: Codable, Sendable, Equatable {
    public struct ChapterSummary: Codable, Sendable, Equatable {
        public var revision: Int
        public var status: String
        public var title: String
        /// The stable name `export.zip` gives the chapter's file, `chapters/<file>.md`.
        public var file: String
        /// Words of the head revision (`WordCount`).
        public var words: Int
        /// Open conflict records of the chapter.
        public var conflicts: Int
        /// Words the facilitator aims at; absent when none is set.
        public var target: Int?
        /// When the head revision was made, and by whom: the chapter's last change of text.
        public var modified: Date
        public var modifiedBy: String
    }

    public var id: String
    public var title: String
    public var subtitle: String?
    public var language: String
    public var license: String?
    public var description: String?
    /// `images/NAME`: the book's cover, when it has one.
    public var cover: String?
    public var authors: [String]
    public var identifier: String
    public var workflow: [String]
    public var seq: Int
    public var role: Role
    public var toc: TableOfContents
    public var chapters: [String: ChapterSummary]
    /// Words of the book: the sum over its chapters.
    public var words: Int
}

/// A book in a listing.
public struct BookSummary: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var role: Role
    public var seq: Int
}

/// A chapter's head as `GET .../chapters/{chapter}` shows it.
public struct ChapterView: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var status: String
    public var revision: Int
    public var text: String
    public var deleted: Bool
    /// Open conflict records.
    public var conflicts: [String]
    /// Words the facilitator aims at; absent when none is set.
    public var target: Int?
}

/// A deleted chapter as `GET /books/{book}/chapters?deleted=true` lists it, for restoring.
public struct DeletedChapter: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var status: String
    public var revision: Int
    /// The head revision's time and author: when the chapter last changed, by whom.
    public var modified: Date
    public var modifiedBy: String
}

/// One revision's facts; `text` is nil in listings.
public struct RevisionView: Codable, Sendable, Equatable {
    public var revision: Int
    public var author: String
    public var createdAt: Date
    public var message: String?
    public var merged: Bool
    public var parents: [Int]
    public var text: String?
}

/// A stored conflict: the text a save submitted that could not be merged.
public struct ConflictView: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case open, resolved, dismissed }
    public var id: String
    public var chapter: String
    public var base: Int
    public var head: Int
    public var text: String
    public var author: String
    public var createdAt: Date
    public var state: State
}

/// A member of a book.
public struct Member: Codable, Sendable, Equatable {
    public var username: String
    public var role: Role
}

/// An image or other file of a book.
public struct AssetInfo: Codable, Sendable, Equatable {
    public var name: String
    public var contentType: String
    public var size: Int
    public var updatedAt: Date
    /// The chapters whose head texts show the image (in the listing only), so that the web
    /// app can warn before a delete.
    public var usedBy: [AssetUse]?
}

/// A chapter that shows an asset.
public struct AssetUse: Codable, Sendable, Equatable {
    public var chapter: String
    public var title: String
}

/// One entry of a book's change log.
public struct Change: Codable, Sendable, Equatable {
    public var seq: Int
    public var type: String
    public var chapter: String?
    public var revision: Int?
    public var author: String?
    public var merged: Bool?
    public var conflict: String?
    public var version: Int?
    public var asset: String?
    public var createdAt: Date?
}

/// A page of the change log.
public struct ChangePage: Codable, Sendable, Equatable {
    public var changes: [Change]
    public var last: Int
    public var more: Bool
}

/// An idempotency key with the fingerprint of the request that carried it.
public struct IdempotencyKey: Sendable {
    public var key: String
    public var fingerprint: String

    /// `request` identifies the call (method, path, body bytes); only its hash is kept.
    public init(key: String, request: some Collection<UInt8>) {
        self.key = key
        self.fingerprint = SHA256.hex(request)
    }
}
