/// What a book says about itself: the fields of `book.yaml` and of `GET /books/{book}`.
public struct BookMetadata: Codable, Sendable, Equatable {
    public var title: String
    public var subtitle: String?
    /// BCP 47 language tag, `en` by default.
    public var language: String
    public var license: String?
    public var description: String?
    /// Named authors; when empty, exporters credit the contributors instead.
    public var authors: [String]
    /// Stable identifier (`urn:uuid:…`), generated once and kept.
    public var identifier: String
    /// Path of the cover image inside the book (`images/cover.png`), if any.
    public var cover: String?

    public init(
        title: String, subtitle: String? = nil, language: String = "en", license: String? = nil,
        description: String? = nil, authors: [String] = [], identifier: String, cover: String? = nil
    ) {
        self.title = title
        self.subtitle = subtitle
        self.language = language
        self.license = license
        self.description = description
        self.authors = authors
        self.identifier = identifier
        self.cover = cover
    }
}

/// The workflow states a chapter moves through; a book may define its own list.
public enum WorkflowStatus {
    public static let defaults = ["draft", "needs review", "done"]
}
