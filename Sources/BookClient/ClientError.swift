/// Why a folder-client command failed; the description is the one line the user sees.
public struct ClientError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
