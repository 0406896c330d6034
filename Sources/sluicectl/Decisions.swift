import ArgumentParser
import Foundation
import SluiceCore

// Blocks, the allowlist and the audit log.

/// An account id as one path segment.
func pathSegment(_ id: String) -> String {
    id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#%")))
        ?? id
}

func encodeBody(_ value: some Encodable) throws -> Data {
    try JSONEncoder.sluice.encode(value)
}

extension ClientOptions {
    /// Sends one decision change and prints the decision it made or revoked.
    func change(_ method: String, _ path: String, _ body: some Encodable) async throws {
        let data = try await client.send(method, path, body: try encodeBody(body))
        if json { return printJSON(data) }
        print(TextTable.decisions([try JSONDecoder.sluice.decode(Decision.self, from: data)]))
    }

    /// Prints a list of decisions, or `empty` when there is none.
    func listDecisions(_ path: String, empty: String) async throws {
        let data = try await client.get(path)
        if json { return printJSON(data) }
        let list = try JSONDecoder.sluice.decode(DecisionList.self, from: data)
        print(list.decisions.isEmpty ? empty : TextTable.decisions(list.decisions))
    }
}

struct Block: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Block an account: the gateway check answers 403 for it.",
        discussion: "Blocking an account that is already blocked replaces its block (to extend or shorten it).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The account id.") var id: String
    @Option(help: "Why, for the audit log.") var reason: String
    @Option(name: .customLong("for"), help: "How long: 7d, 12h, 30m. Default: until unblocked.") var duration: String?

    func validate() throws {
        if let duration, Configuration.parseDuration(duration) == nil {
            throw ValidationError("--for \(duration): expected a duration such as 7d, 12h or 30m")
        }
    }

    func run() async throws {
        try await reportingFailures {
            try await options.change(
                "POST", "/v1/blocks", DecisionRequest(account: id, reason: reason, duration: duration))
        }
    }
}

struct Unblock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revoke an account's block (the record stays).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The account id.") var id: String
    @Option(help: "Why, for the audit log.") var reason: String

    func run() async throws {
        try await reportingFailures {
            try await options.change("DELETE", "/v1/blocks/\(pathSegment(id))", RevokeRequest(reason: reason))
        }
    }
}

struct Blocks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the blocks in force, newest first.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await reportingFailures {
            try await options.listDecisions("/v1/blocks", empty: "no blocks")
        }
    }
}

struct Allow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Allowlist an account: it is still scored, but never flagged or auto-blocked.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The account id.") var id: String
    @Option(help: "Why, for the audit log.") var reason: String
    @Option(name: .customLong("for"), help: "How long: 30d, 12h. Default: until disallowed.") var duration: String?

    func validate() throws {
        if let duration, Configuration.parseDuration(duration) == nil {
            throw ValidationError("--for \(duration): expected a duration such as 30d, 12h or 30m")
        }
    }

    func run() async throws {
        try await reportingFailures {
            try await options.change(
                "POST", "/v1/allowlist", DecisionRequest(account: id, reason: reason, duration: duration))
        }
    }
}

struct Disallow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove an account from the allowlist (the record stays).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The account id.") var id: String
    @Option(help: "Why, for the audit log.") var reason: String

    func run() async throws {
        try await reportingFailures {
            try await options.change("DELETE", "/v1/allowlist/\(pathSegment(id))", RevokeRequest(reason: reason))
        }
    }
}

struct Allowlist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the allowlisted accounts, newest first.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await reportingFailures {
            try await options.listDecisions("/v1/allowlist", empty: "no allowlisted accounts")
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit log, newest first: every block, unblock, allow, disallow and expiry.")
    @OptionGroup var options: ClientOptions
    @Option(help: "Only this account.") var account: String?
    @Option(help: "How many entries at most (1 to 1000).") var limit = 100

    func run() async throws {
        try await reportingFailures {
            var path = "/v1/audit?limit=\(limit)"
            if let account {
                path += "&account=" + (account.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? account)
            }
            let data = try await options.client.get(path)
            if options.json { return printJSON(data) }
            let page = try JSONDecoder.sluice.decode(AuditPage.self, from: data)
            print(page.entries.isEmpty ? "no audit entries" : TextTable.audit(page.entries))
        }
    }
}
