/// What can go wrong in the store, free of HTTP; the server maps each case to a status once.
public enum StoreError: Error, Sendable, Equatable {
    /// Unknown, or invisible to the caller (a book the caller has no role on).
    case notFound(String)
    case forbidden(String)
    case unauthorized
    /// A save without `base`.
    case baseRequired
    /// A save whose `base` revision never existed.
    case unknownBase(Int)
    /// Input that is well formed but not acceptable (a name taken, a status not in the list).
    case invalid(String)
    /// The state changed under the caller (a conflict already closed, a TOC op that no longer fits).
    case stateConflict(String, operationIndex: Int? = nil)
    /// The same idempotency key was sent with a different request.
    case idempotencyKeyReused
    /// A change-feed position the store no longer knows; the client must reload.
    case historyReset(last: Int)
    /// Stored data that cannot be read back (a revision's delta that does not fit): the
    /// server's fault, never the caller's.
    case damaged(String)
}

extension StoreError: CustomStringConvertible {
    /// One line for a command's error output.
    public var description: String {
        switch self {
        case .notFound(let detail), .forbidden(let detail), .invalid(let detail), .damaged(let detail): detail
        case .unauthorized: "wrong user name or password"
        case .baseRequired: "a save needs the revision it started from"
        case .unknownBase(let base): "revision \(base) never existed"
        case .stateConflict(let detail, _): detail
        case .idempotencyKeyReused: "the idempotency key was used with a different request"
        case .historyReset: "the change log has no such position"
        }
    }
}
