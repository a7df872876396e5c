import BookServer
@testable import BookStore
import Foundation
import GRDB
import Testing

/// Invite links on a real server on loopback: created, listed and revoked by facilitators;
/// opened and accepted by a newcomer (signing up) or a signed-in user; expired, revoked and
/// unknown links refused clearly; tokens stored only as hashes.
@Suite struct InviteTests {
    func createInvite(_ live: LiveBook, role: String = "author", days: Int? = nil) async throws -> [String: Any] {
        var body: [String: Any] = ["role": role]
        if let days { body["expiresInDays"] = days }
        let reply = try await live.fran.call(.POST, "\(live.path)/invites", json: body)
        try #require(reply.status == 201, "\(reply.text)")
        return reply.json
    }

    @Test func aNewcomerSignsUpThroughAnInviteAndWrites() async throws {
        try await withLiveServer { live in
            let invite = try await self.createInvite(live)
            let token = try #require(invite["token"] as? String)
            #expect(token.count == 43)
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(invite["url"] as? String == "/invite/\(token)")
            #expect(invite["role"] as? String == "author")
            #expect(invite["createdBy"] as? String == "fran")
            #expect(invite["state"] as? String == "active")
            let expires = try #require((invite["expires"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expires.timeIntervalSinceNow - 5 * 86_400) < 120)

            let opened = try await live.anonymous.call(.GET, "/api/v1/invites/\(token)")
            #expect(opened.status == 200, "\(opened.text)")
            #expect(opened["title"] as? String == "Live")
            #expect(opened["book"] as? String == live.book)
            #expect(opened["role"] as? String == "author")

            let joined = try await live.anonymous.call(
                .POST, "/api/v1/invites/\(token)/accept", json: ["username": "newcomer", "password": "a good password"])
            #expect(joined.status == 201, "\(joined.text)")
            #expect(joined["role"] as? String == "author")
            #expect(joined["book"] as? String == live.book)
            let session = API(base: live.anonymous.base, token: try #require(joined["token"] as? String))
            let created = try await session.call(.POST, "\(live.path)/chapters", json: ["title": "Mine", "text": "Hello.\n"])
            #expect(created.status == 201, "\(created.text)")
            // The password works for signing in later too.
            _ = try await live.anonymous.login("newcomer", "a good password")

            let listing = try await live.fran.call(.GET, "\(live.path)/invites")
            let invites = try #require(listing["invites"] as? [[String: Any]])
            #expect(invites.count == 1)
            #expect(invites.first?["uses"] as? Int == 1)
            #expect(invites.first?["token"] == nil)
            #expect(!listing.text.contains(token))
        }
    }

    @Test func theTokenIsStoredOnlyAsItsHash() async throws {
        try await withLiveServer { live in
            let invite = try await self.createInvite(live)
            let token = try #require(invite["token"] as? String)
            let stored = try await live.database.writer.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM invite") }
            #expect(stored == [SHA256.hex(Array(token.utf8))])
        }
    }

    @Test func revokedExpiredAndUnknownInvitesAreRefused() async throws {
        try await withLiveServer { live in
            let revoked = try await self.createInvite(live)
            let token = try #require(revoked["token"] as? String)
            let id = try #require(revoked["id"] as? String)
            #expect(try await live.ann.call(.DELETE, "\(live.path)/invites/\(id)").status == 403)
            #expect(try await live.fran.call(.DELETE, "\(live.path)/invites/\(id)").status == 204)
            #expect(try await live.fran.call(.DELETE, "\(live.path)/invites/\(id)").status == 204)
            #expect(try await live.fran.call(.DELETE, "\(live.path)/invites/inope").status == 404)
            let opened = try await live.anonymous.call(.GET, "/api/v1/invites/\(token)")
            #expect(opened.status == 410)
            #expect(opened["type"] as? String == "urn:booksprint:problem:invite-revoked")
            let signUp = try await live.anonymous.call(
                .POST, "/api/v1/invites/\(token)/accept", json: ["username": "late", "password": "a good password"])
            #expect(signUp.status == 410)
            #expect(try await live.database.isUserNameTaken("late") == false)
            #expect(try await live.sam.call(.POST, "/api/v1/invites/\(token)/accept").status == 410)

            let expired = try await self.createInvite(live, role: "reader", days: 1)
            let old = try #require(expired["token"] as? String)
            let expiredID = try #require(expired["id"] as? String)
            try await live.database.writer.write { db in
                try db.execute(sql: "UPDATE invite SET expiresAt = ? WHERE id = ?", arguments: [Date().addingTimeInterval(-1), expiredID])
            }
            let stale = try await live.anonymous.call(.GET, "/api/v1/invites/\(old)")
            #expect(stale.status == 410)
            #expect(stale["type"] as? String == "urn:booksprint:problem:invite-expired")
            let states = try await live.fran.call(.GET, "\(live.path)/invites")["invites"] as? [[String: Any]]
            #expect(Set(states?.map { $0["state"] as? String ?? "" } ?? []) == ["revoked", "expired"])

            let unknown = try await live.anonymous.call(.GET, "/api/v1/invites/\(String(repeating: "A", count: 43))")
            #expect(unknown.status == 404)
            #expect(unknown["type"] as? String == "urn:booksprint:problem:invite-unknown")
            #expect(try await live.anonymous.call(.GET, "/api/v1/invites/short").status == 404)
        }
    }

    @Test func inviteRulesAreChecked() async throws {
        try await withLiveServer { (live: LiveBook) async throws in
            #expect(try await live.ann.call(.POST, "\(live.path)/invites", json: ["role": "author"]).status == 403)
            #expect(try await live.sam.call(.POST, "\(live.path)/invites", json: ["role": "author"]).status == 404)
            #expect(try await live.fran.call(.POST, "\(live.path)/invites", json: ["role": "facilitator"]).status == 422)
            #expect(try await live.fran.call(.POST, "\(live.path)/invites", json: ["role": "owner"]).status == 400)
            #expect(try await live.fran.call(.POST, "\(live.path)/invites", json: ["role": "reader", "expiresInDays": 0]).status == 422)
            #expect(try await live.fran.call(.POST, "\(live.path)/invites", json: ["role": "reader", "expiresInDays": 31]).status == 422)
            #expect(try await live.ann.call(.GET, "\(live.path)/invites").status == 403)
            #expect(try await live.anonymous.call(.GET, "\(live.path)/invites").status == 401)
        }
    }

    @Test func signUpNamesAndPasswordsFollowTheRulesOfUserAdd() async throws {
        try await withLiveServer { live in
            let token = try #require(try await self.createInvite(live)["token"] as? String)
            let accept = "/api/v1/invites/\(token)/accept"
            let taken = try await live.anonymous.call(.POST, accept, json: ["username": "ANN", "password": "a good password"])
            #expect(taken.status == 409, "\(taken.text)")
            #expect(try await live.anonymous.call(.POST, accept, json: ["username": "a b", "password": "a good password"]).status == 422)
            #expect(try await live.anonymous.call(.POST, accept, json: ["username": "shorty", "password": "short"]).status == 422)
            #expect(try await live.anonymous.call(.POST, accept, json: ["username": "nopass"]).status == 400)
            #expect(try await live.database.isUserNameTaken("shorty") == false)
        }
    }

    /// A signed-in user joins with their session; a higher role they have stays.
    @Test func aSignedInUserJoinsAndKeepsAHigherRole() async throws {
        try await withLiveServer { live in
            let author = try #require(try await self.createInvite(live, role: "author")["token"] as? String)
            // No body is needed, but one that is sent is still read as JSON: garbage is refused.
            let garbage = try await live.sam.call(
                .POST, "/api/v1/invites/\(author)/accept", body: [0], headers: [("Content-Type", "application/json")])
            #expect(garbage.status == 400, "\(garbage.text)")
            let short = try await live.sam.call(.POST, "/api/v1/invites/\(author)/accept", json: ["username": "sam", "password": "short"])
            #expect(short.status == 422, "\(short.text)")
            #expect(try await live.sam.call(.GET, live.path).status == 404)
            let joined = try await live.sam.call(.POST, "/api/v1/invites/\(author)/accept")
            #expect(joined.status == 200, "\(joined.text)")
            #expect(joined["role"] as? String == "author")
            #expect(joined["token"] == nil)
            #expect(try await live.sam.call(.GET, live.path).status == 200)

            let reader = try #require(try await self.createInvite(live, role: "reader")["token"] as? String)
            let kept = try await live.sam.call(.POST, "/api/v1/invites/\(reader)/accept")
            #expect(kept["role"] as? String == "author")
            #expect(try await live.fran.call(.POST, "/api/v1/invites/\(reader)/accept").json["role"] as? String == "facilitator")
            let members = try await live.fran.call(.GET, "\(live.path)/members")
            let roles = (members["members"] as? [[String: Any]])?.map { "\($0["username"] ?? ""):\($0["role"] ?? "")" }
            #expect(roles?.contains("sam:author") == true, "\(members.text)")
            #expect(roles?.contains("fran:facilitator") == true)
            let bad = API(base: live.anonymous.base, token: "not-a-token")
            #expect(try await bad.call(.POST, "/api/v1/invites/\(reader)/accept").status == 401)
        }
    }
}
