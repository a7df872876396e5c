@testable import BookServer
import Testing

@Suite struct MiddlewareTests {
    @Test func requestTimesAreMillisecondsWithOneDecimalRoundedDown() {
        #expect(RequestLogMiddleware.milliseconds(.zero) == "0.0")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(12_399)) == "12.3")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(99)) == "0.0")
        #expect(RequestLogMiddleware.milliseconds(.seconds(3) + .microseconds(4_560)) == "3004.5")
    }

    @Test func bearerTokensLoseSurroundingBlanksOnly() {
        #expect(AuthMiddleware.trimmed(" \tabc def\t ") == "abc def")
        #expect(AuthMiddleware.trimmed("abc") == "abc")
        #expect(AuthMiddleware.trimmed(" \t ") == "")
        #expect(AuthMiddleware.trimmed("") == "")
    }
}
