import BookStore
import Foundation
import Hummingbird
import Logging

/// Builds the server: the one function both `booksprint serve` and the tests call.
public func buildApplication(
    configuration: ServerConfiguration, database: AppDatabase, logger: Logger = Logger(label: "booksprint")
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware())

    let api = router.group("api/v1")
    LoginController(database: database, configuration: configuration).addRoutes(to: api)
    OpenAPIController().addRoutes(to: api)

    let authed = api.group().add(middleware: AuthMiddleware(database: database))
    BooksController(database: database, configuration: configuration).addRoutes(to: authed)
    ChaptersController(database: database, configuration: configuration).addRoutes(to: authed)
    TOCController(database: database, configuration: configuration).addRoutes(to: authed)
    AssetsController(database: database, configuration: configuration).addRoutes(to: authed)
    ChangesController(database: database, configuration: configuration).addRoutes(to: authed)
    PresenceController(database: database, configuration: configuration).addRoutes(to: authed)
    ExportController(database: database).addRoutes(to: authed)

    return Application(
        router: router,
        server: .bulkReadHTTP1,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "booksprint"),
        logger: logger)
}

/// Opens the store in the data directory, creating the directory when needed.
public func openDatabase(configuration: ServerConfiguration) throws -> AppDatabase {
    try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
    return try AppDatabase.open(path: configuration.databasePath)
}
