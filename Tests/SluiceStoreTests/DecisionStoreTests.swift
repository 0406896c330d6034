import Foundation
import SluiceCore
import Testing

@testable import SluiceStore

@Suite struct DecisionStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_795_630_000)

    @Test func unblockRevokesTheBlockAndKeepsTheRowAndEveryStepIsAudited() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        let block = try await store.decide(
            .block, account: "a1", actor: "ops", reason: "harvesting", expiresAt: nil, now: t0)
        #expect(try await store.activeAccounts(.block, now: t0) == ["a1"])
        let revoked = try await store.revoke(
            .block, account: "a1", actor: "ops", reason: "false positive", now: t0 + 60)
        #expect(revoked.id == block.id && revoked.revokedBy == "ops" && revoked.revokeReason == "false positive")
        #expect(revoked.revokedAt == t0 + 60)
        #expect(try await store.activeAccounts(.block, now: t0 + 61).isEmpty)
        let detail = try await store.pool.read { db in try SQLiteStore.decisions(db, account: "a1") }
        #expect(detail.count == 1, "a revoke is a new state of the row, not a deletion")

        let audit = try await store.auditLog(limit: 10)
        #expect(audit.entries.map(\.action) == ["unblock", "block"])
        #expect(audit.entries.map(\.actor) == ["ops", "ops"])
        #expect(audit.entries.allSatisfy { $0.account == "a1" && $0.decision == block.id })
        await #expect(throws: StoreError.self) {
            try await store.revoke(.block, account: "a1", actor: "ops", reason: "again", now: t0 + 62)
        }
    }

    @Test func aBlockOnABlockedAccountSupersedesItAndAllowConflictsWithBlock() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        let first = try await store.decide(
            .block, account: "a1", actor: "ops", reason: "r1", expiresAt: t0 + 60, now: t0)
        let second = try await store.decide(
            .block, account: "a1", actor: "ops", reason: "longer", expiresAt: nil, now: t0 + 1)
        let active = try await store.activeDecisions(.block, now: t0 + 2)
        #expect(active.map(\.id) == [second.id])
        #expect(first.id != second.id)
        do {
            _ = try await store.decide(.allow, account: "a1", actor: "ops", reason: "eval", expiresAt: nil, now: t0 + 3)
            Issue.record("allowing a blocked account must be refused")
        } catch let error as StoreError {
            #expect(error.code == "conflict")
        }
        _ = try await store.decide(.allow, account: "a2", actor: "ops", reason: "eval", expiresAt: nil, now: t0)
        await #expect(throws: StoreError.self) {
            try await store.decide(.block, account: "a2", actor: "ops", reason: "x", expiresAt: nil, now: t0 + 1)
        }
    }

    /// A poller that applies every delta ends with the store's blocklist, whatever happened in
    /// between: blocks, supersedes, unblocks and expiries.
    @Test func aBlocklistPollerNeverMissesARemovalOrAnExpiry() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        var local: Set<String> = []
        var cursor: Int64? = nil
        func poll(at now: Date) async throws {
            let delta = try await store.blocklist(since: cursor, now: now)
            if delta.full { local = [] }
            local.formUnion(delta.added.map(\.account))
            local.subtract(delta.removed)
            cursor = Int64(delta.cursor)
            #expect(local == (try await store.activeAccounts(.block, now: now)))
        }
        try await poll(at: t0)
        #expect(cursor == 0)
        _ = try await store.decide(.block, account: "a", actor: "ops", reason: "r", expiresAt: nil, now: t0)
        _ = try await store.decide(.block, account: "b", actor: "ops", reason: "r", expiresAt: t0 + 10, now: t0)
        try await poll(at: t0 + 1)
        #expect(local == ["a", "b"])
        // Supersede and unblock between two polls.
        _ = try await store.decide(.block, account: "a", actor: "ops", reason: "again", expiresAt: nil, now: t0 + 2)
        _ = try await store.revoke(.block, account: "a", actor: "ops", reason: "fp", now: t0 + 3)
        try await poll(at: t0 + 4)
        #expect(local == ["b"])
        // An expiry moves the cursor once it is noted.
        #expect(try await store.noteExpiredDecisions(now: t0 + 11).map(\.account) == ["b"])
        #expect(try await store.noteExpiredDecisions(now: t0 + 12).isEmpty, "an expiry is noted once")
        try await poll(at: t0 + 12)
        #expect(local.isEmpty)
        #expect(try await store.auditLog(limit: 1).entries.first?.action == "expire")
        // A cursor from another database gets the whole list.
        let delta = try await store.blocklist(since: 9999, now: t0 + 13)
        #expect(delta.full)
    }

    @Test func autoBlockLeavesManualDecisionsEndUsersAndUnblockedAccountsAlone() async throws {
        let path = try temporaryDatabase()
        var store = try SQLiteStore(path: path)
        let time = t0.timeIntervalSince1970
        let items =
            ["h1", "h2", "allowed", "manual", "unblocked"].map { item($0, time: time, prompt: "p") }
            // An end user is an entity from its second request.
            + [
                item("reseller", time: time, prompt: "p", endUser: "u1"),
                item("reseller", time: time, prompt: "q", endUser: "u1"),
            ]
        _ = try await store.commit(items, progress: IngestProgress(source: "s"))
        _ = try await store.decide(.allow, account: "allowed", actor: "ops", reason: "eval", expiresAt: nil, now: t0)
        _ = try await store.decide(.block, account: "manual", actor: "ops", reason: "by hand", expiresAt: nil, now: t0)
        _ = try await store.autoBlock([("unblocked", "auto")], expiresAt: nil, now: t0)
        _ = try await store.revoke(.block, account: "unblocked", actor: "ops", reason: "false positive", now: t0)
        let endUser = try #require(try await store.profiles().first { $0.parent == "reseller" }).id

        let candidates = ["h1", "h2", "allowed", "manual", "unblocked", endUser, "never-seen"].map {
            ($0, "auto: score")
        }
        let made = try await store.autoBlock(candidates, expiresAt: t0 + 86400, now: t0 + 1)
        #expect(made.map(\.account) == ["h1", "h2"])
        #expect(made.allSatisfy { $0.actor == SQLiteStore.autoActor && $0.expiresAt == t0 + 86400 })
        let manual = try await store.activeDecisions(.block, now: t0 + 2).first { $0.account == "manual" }
        #expect(manual?.actor == "ops" && manual?.reason == "by hand")

        // Decisions survive a restart.
        store = try SQLiteStore(path: path)
        #expect(try await store.activeAccounts(.block, now: t0 + 2) == ["h1", "h2", "manual"])
        #expect(try await store.activeAccounts(.allow, now: t0 + 2) == ["allowed"])
        // An expired auto-block may be renewed by the policy; nothing else changed.
        _ = try await store.noteExpiredDecisions(now: t0 + 86401)
        let renewed = try await store.autoBlock(candidates, expiresAt: nil, now: t0 + 86402)
        #expect(renewed.map(\.account) == ["h1", "h2"])
    }
}
