import Testing

@Suite struct BookExportTestsPlaceholder {}
