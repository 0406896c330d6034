import ArgumentParser
import Foundation
import SluiceCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct SluiceCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluicectl",
        abstract: "Administer a running Sluice: flagged accounts, account detail, blocks, allowlist, audit, status.",
        discussion:
            "The server comes from --server or SLUICE_SERVER (default http://127.0.0.1:8780); the token from --token or SLUICE_TOKEN.",
        subcommands: [
            Flagged.self, Show.self, Block.self, Unblock.self, Blocks.self, Allow.self, Disallow.self, Allowlist.self,
            Audit.self, Status.self,
        ]
    )
}

/// Runs the command line with the exit codes the docs promise: 0 ok, 1 error, 2 usage.
@main
enum Main {
    static func main() async {
        do {
            var command = try SluiceCtl.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if SluiceCtl.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((SluiceCtl.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            SluiceCtl.exit(withError: error)
        }
    }
}

struct ClientOptions: ParsableArguments {
    @Option(help: "Sluice server URL (or SLUICE_SERVER).")
    var server: String?

    @Option(help: "API token (or SLUICE_TOKEN).")
    var token: String?

    @Flag(help: "Print the API's JSON instead of a table.")
    var json = false

    var client: Client {
        let environment = ProcessInfo.processInfo.environment
        return Client(
            server: server ?? environment["SLUICE_SERVER"] ?? "http://127.0.0.1:8780",
            token: token ?? environment["SLUICE_TOKEN"])
    }
}

/// A one-line failure: printed as `sluicectl: …`, exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

struct Client {
    let server: String
    let token: String?

    func get(_ path: String) async throws -> Data {
        try await send("GET", path, body: nil)
    }

    func send(_ method: String, _ path: String, body: Data?) async throws -> Data {
        guard let url = URL(string: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) else {
            throw CommandFailure(description: "invalid server URL \(server)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 15
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CommandFailure(description: "cannot reach \(server): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            if let body = try? JSONDecoder.sluice.decode(APIErrorBody.self, from: data) {
                throw CommandFailure(description: "\(body.error.message) (\(status) \(body.error.code))")
            }
            throw CommandFailure(description: "server answered \(status) for \(method) \(path)")
        }
        return data
    }
}

extension AsyncParsableCommand {
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("sluicectl: \(failure.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as DecodingError {
            FileHandle.standardError.write(Data("sluicectl: unexpected answer from the server: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

func printJSON(_ data: Data) {
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

func time(_ date: Date?) -> String {
    guard let date else { return "-" }
    let formatter = ISO8601DateFormatter()
    return formatter.string(from: date)
}

struct Flagged: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List flagged accounts, highest score first.")
    @OptionGroup var options: ClientOptions
    @Option(help: "Lowest level: watch, review or block.") var level = "review"
    @Option(help: "How many accounts at most.") var limit = 100

    func run() async throws {
        try await reportingFailures {
            let data = try await options.client.get("/v1/flagged?level=\(level)&limit=\(limit)")
            if options.json { return printJSON(data) }
            let page = try JSONDecoder.sluice.decode(FlaggedPage.self, from: data)
            print(TextTable.flagged(page.flagged))
        }
    }
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one account: score, reasons with their numbers, cluster, decisions.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The account id.") var id: String

    func run() async throws {
        try await reportingFailures {
            let escaped =
                id.addingPercentEncoding(
                    withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
            let data = try await options.client.get("/v1/accounts/\(escaped)")
            if options.json { return printJSON(data) }
            let detail = try JSONDecoder.sluice.decode(AccountDetail.self, from: data)
            print(TextTable.detail(detail))
        }
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sources, offsets, lag, bad lines, flagged counts.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await reportingFailures {
            let data = try await options.client.get("/v1/status")
            if options.json { return printJSON(data) }
            let status = try JSONDecoder.sluice.decode(StatusReport.self, from: data)
            print(TextTable.status(status))
        }
    }
}
