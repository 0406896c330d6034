import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceSimulator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A first look: built-in labelled traffic written to a log, tailed, scored and served.",
        discussion: """
            Generates a day of traffic from the built-in generator (no data files needed) into a temporary \
            folder, appends it to a log file that `sluice serve` tails, and prints the flagged accounts with \
            their reasons and true personas. The API stays up until Ctrl-C.
            """)

    @Option(help: "Port for the API (default 8780, or any free port if it is taken).")
    var port: Int?

    @Option(help: "Multiplies the number of simulated accounts.")
    var scale = 0.25

    @Option(help: "Random seed of the traffic.")
    var seed: UInt64 = 7

    @Option(help: "Log level of the daemon.")
    var logLevel = "warning"

    func run() async throws {
        try await reportingErrors {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sluice-demo-\(UUID().uuidString.prefix(8))")
            let generated = folder.appendingPathComponent("generated")
            let logs = folder.appendingPathComponent("logs")
            try FileManager.default.createDirectory(at: generated, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            say("sluice demo: generating a day of labelled traffic in \(folder.path) …")
            let summary = try Simulator.run(SimulationOptions(days: 1, seed: seed, scale: scale), into: generated)
            say(
                "sluice demo: \(summary.lines) requests from \(summary.accounts) accounts; tailing \(logs.path)/traffic.jsonl"
            )

            var configuration = SluiceCore.Configuration()
            configuration.storePath = folder.appendingPathComponent("sluice.db").path
            configuration.sources = [
                Configuration.Source(name: "demo", path: logs.appendingPathComponent("*.jsonl").path, format: .litellm)
            ]
            configuration.server.port = port ?? (PortProbe.isFree(8780) ? 8780 : 0)
            configuration.scoring.interval = 2
            configuration.ingest.pollInterval = 0.1
            var logger = Logger(label: "sluice")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
            let feeder = DemoFeeder(
                source: summary.files[0], destination: logs.appendingPathComponent("traffic.jsonl"),
                labels: try Labels.load(summary.labelsFile), expectedLines: summary.lines)
            try await Serve.serve(configuration, logger: logger, extraServices: [feeder]) { port in
                await feeder.serverStarted(port: port)
            }
        }
    }
}

/// Appends the generated traffic to the tailed log in chunks, as a live API would, then shows
/// what Sluice flagged once it has read it all.
actor DemoFeeder: Service {
    let source: URL
    let destination: URL
    let labels: Labels
    let expectedLines: Int
    var port: Int?

    init(source: URL, destination: URL, labels: Labels, expectedLines: Int) {
        self.source = source
        self.destination = destination
        self.labels = labels
        self.expectedLines = expectedLines
    }

    func serverStarted(port: Int) { self.port = port }

    func run() async throws {
        while port == nil { try await Task.sleep(for: .milliseconds(50)) }
        let base = "http://127.0.0.1:\(port!)"
        let data = try Data(contentsOf: source)
        _ = FileManager.default.createFile(atPath: destination.path, contents: nil)
        let handle = try FileHandle(forWritingTo: destination)
        // About ten seconds of "live" traffic, cut on line boundaries.
        let chunks = 20
        var start = 0
        for i in 1...chunks {
            var end = i == chunks ? data.count : data.count * i / chunks
            while end < data.count && data[end - 1] != 0x0A { end += 1 }
            if end > start { try handle.write(contentsOf: data[start..<end]) }
            start = end
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
        }
        try handle.close()
        // Wait until every line is ingested and a scoring pass has run after that.
        var ingestedAt: Date?
        while true {
            let status = try await get(base + "/v1/status", as: StatusReport.self)
            if status.lines + status.badLines >= Int64(expectedLines) {
                if ingestedAt == nil { ingestedAt = Date() }
                if let last = status.lastScoring, last > ingestedAt! { break }
            }
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
        }
        let page = try await get(base + "/v1/flagged?level=review&limit=1000", as: FlaggedPage.self)
        say(report(page.flagged, base: base))
        try await gracefulShutdown()
    }

    func get<T: Decodable>(_ url: String, as type: T.Type) async throws -> T {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return try JSONDecoder.sluice.decode(T.self, from: data)
    }

    func report(_ flagged: [FlaggedAccount], base: String) -> String {
        let attacks = labels.accounts.values.filter(\.isAttack).count
        let caught = flagged.filter { labels.accounts[$0.account]?.isAttack == true }.count
        let falsePositives = flagged.count - caught
        var lines = ["", "Flagged accounts (level review or block), with the simulator's true persona:", ""]
        lines.append(
            Table.render(
                ["ACCOUNT", "LEVEL", "SCORE", "TRUTH", "TOP REASON"],
                flagged.map {
                    [
                        String($0.account.prefix(12)), $0.level.rawValue, String(format: "%.2f", $0.score),
                        labels.accounts[$0.account]?.persona ?? "?",
                        $0.reasons.first.map { "\($0.code): \($0.summary)" } ?? "",
                    ]
                }))
        lines.append("")
        lines.append("\(caught) of \(attacks) attack accounts flagged, \(falsePositives) benign accounts flagged.")
        lines.append("")
        lines.append("The API is at \(base) — try:")
        lines.append("  curl -s '\(base)/v1/flagged?level=review'")
        if let first = flagged.first { lines.append("  sluicectl --server \(base) show \(first.account)") }
        lines.append("Ctrl-C to stop.")
        return lines.joined(separator: "\n")
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a line to stdout at once: `print` is buffered when stdout is a pipe, and the demo's
/// lines interleave with the server's.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

enum PortProbe {
    /// Whether a TCP port on loopback can be bound right now.
    static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            return result == 0
        #else
            return true
        #endif
    }
}
