import Foundation
import SluiceTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Paths of the built products and of the shared data, and a running `sluice serve`.
enum Products {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static var binDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["SLUICE_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    static var sluice: String { binDirectory.appendingPathComponent("sluice").path }
    static var sluicectl: String { binDirectory.appendingPathComponent("sluicectl").path }
    static var built: Bool {
        FileManager.default.isExecutableFile(atPath: sluice) && FileManager.default.isExecutableFile(atPath: sluicectl)
    }

    static let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to its end.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

func temporaryDirectory(_ prefix: String) throws -> URL {
    try scratchDirectory(prefix)
}

/// `sluice serve` started on a free port; stopped with SIGTERM.
final class RunningServer {
    let process = Process()
    let port: Int
    let output: URL
    var url: String { "http://127.0.0.1:\(port)" }

    init(config: URL, directory: URL) throws {
        // Each server started in a directory keeps its own log (serve.log, serve.2.log, ...), so a
        // test that restarts one can read every life's log afterwards.
        var output = directory.appendingPathComponent("serve.log")
        var life = 1
        while FileManager.default.fileExists(atPath: output.path) {
            life += 1
            output = directory.appendingPathComponent("serve.\(life).log")
        }
        self.output = output
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Products.sluice)
        process.arguments = ["serve", "--config", config.path, "--port", "0"]
        process.currentDirectoryURL = directory
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        var found: Int?
        let deadline = Date().addingTimeInterval(patience)
        while Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
                break
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let found else {
            process.terminate()
            throw ServerFailure(log: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
        }
        port = found
    }

    struct ServerFailure: Error, CustomStringConvertible {
        let log: String
        var description: String { "sluice serve did not start:\n\(log)" }
    }

    /// Sends SIGTERM and waits; returns the exit status.
    func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url + path)!)
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    func json(_ path: String) async throws -> [String: Any] {
        let (_, body) = try await get(path)
        return try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }
}

/// A scratch directory for a `sluice serve` test: a `logs` folder for its sources, the database
/// path and the config file.
struct ServeDirectory {
    let directory: URL
    let logs: URL
    let database: String
    let config: URL

    init(_ prefix: String) throws {
        directory = try temporaryDirectory(prefix)
        logs = directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        database = directory.appendingPathComponent("sluice.db").path
        config = directory.appendingPathComponent("sluice.yaml")
    }

    /// Writes the config file: `yaml` after a `store:` line naming the database.
    func configure(_ yaml: String) throws {
        try "store: { path: \(database) }\n\(yaml)".write(to: config, atomically: true, encoding: .utf8)
    }
}
