import ArgumentParser
import Foundation
import Logging
import SluiceCore

struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Finds API accounts that harvest an LLM's answers in bulk (distillation), from the API's logs.",
        discussion: """
            Start with `sluice demo` for a first look. Run the daemon with `sluice serve --config Config/sluice.yaml`.
            Administer it with `sluicectl`.
            """,
        subcommands: [Demo.self, Serve.self, Replay.self, Simulate.self, Eval.self, Bench.self]
    )
}

/// Options every command that reads a configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (YAML).")
    var config: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func load() throws -> SluiceCore.Configuration {
        guard let config else { return SluiceCore.Configuration() }
        return try ConfigLoader.load(path: config)
    }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }
}

/// A one-line error for the user, exit code 1.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning any error into one line on stderr and exit code 1.
    func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            FileHandle.standardError.write(Data("sluice: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Runs the command line with the exit codes the docs promise: 0 ok, 1 error, 2 usage.
@main
enum Main {
    static func main() async {
        do {
            var command = try Sluice.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Sluice.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((Sluice.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            Sluice.exit(withError: error)
        }
    }
}
