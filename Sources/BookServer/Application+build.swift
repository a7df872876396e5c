import BookStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Builds the server: the one function both `booksprint serve` and the tests call.
/// `onServerRunning` is called with the listening channel (its local address has the port
/// that `port: 0` picked).
public func buildApplication(
    configuration: ServerConfiguration, database: AppDatabase, logger: Logger = Logger(label: "booksprint"),
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware())

    let files = WebFileSource(folder: configuration.webRoot)
    WebAppController(files: files).addRoutes(to: router)
    SystemScripts(logger: logger).addRoutes(to: router)

    let api = router.group("api/v1")
    LoginController(database: database, configuration: configuration).addRoutes(to: api)
    OpenAPIController(files: files).addRoutes(to: api)
    InvitesController(database: database, configuration: configuration).addPublicRoutes(to: api)

    let signedIn = api.group().add(middleware: AuthMiddleware(database: database))
    LoginController(database: database, configuration: configuration).addSessionRoutes(to: signedIn)
    let authed = signedIn.group().add(middleware: PasswordChangeMiddleware())
    UsersController(database: database).addRoutes(to: authed)
    BooksController(database: database, configuration: configuration).addRoutes(to: authed)
    ChaptersController(database: database, configuration: configuration).addRoutes(to: authed)
    TOCController(database: database, configuration: configuration).addRoutes(to: authed)
    AssetsController(database: database, configuration: configuration).addRoutes(to: authed)
    ChangesController(database: database, configuration: configuration).addRoutes(to: authed)
    PresenceController(database: database, configuration: configuration).addRoutes(to: authed)
    ExportController(database: database).addRoutes(to: authed)
    PreviewController(database: database, configuration: configuration).addRoutes(to: authed)
    InvitesController(database: database, configuration: configuration).addRoutes(to: authed)
    // Last: it answers 405 for the methods none of the routes above has.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))

    return Application(
        router: router,
        server: .bulkReadHTTP1,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "booksprint"),
        onServerRunning: onServerRunning,
        logger: logger)
}

/// Opens the store in the data directory, creating the directory when needed.
public func openDatabase(configuration: ServerConfiguration) throws -> AppDatabase {
    try configuration.prepareDataDirectory()
    return try AppDatabase.open(path: configuration.databasePath)
}
