import BookStore
import Hummingbird
import NIOCore

/// The request context of every route: the signed-in user, once `AuthMiddleware` found one.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?
    /// The client's address (sign-in attempts are limited per address).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The signed-in user; routes behind `AuthMiddleware` always have one.
    func requireUser() throws -> User {
        guard let user = self.user else { throw StoreError.unauthorized }
        return user
    }
}
