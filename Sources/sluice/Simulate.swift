import ArgumentParser
import Foundation
import SluiceSimulator

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write realistic labelled traffic: LiteLLM log lines and labels.json (account → persona, label).",
        discussion: """
            Benign personas (chat users, coding assistants and agents, eval harnesses, LLM judges, batch \
            classifiers, RAG apps, summarizers) and attack personas (instruction, reasoning, code and logprob \
            harvesters, a hydra cluster, slow-and-low, a reseller, adaptive). With --corpora the prompts come \
            from public corpora laid out like shared/data; otherwise from a built-in generator.
            """)

    @Option(help: "Output folder (created if missing).")
    var out: String

    @Option(help: "Days of traffic.")
    var days = 2

    @Option(help: "Random seed: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "Multiplies the number of accounts (and so lines).")
    var scale = 1.0

    @Option(help: "A folder of public prompt corpora laid out like shared/data.")
    var corpora: String?

    func validate() throws {
        guard days >= 1 && days <= 60 else { throw ValidationError("--days must be from 1 to 60") }
        guard scale > 0 && scale <= 100 else { throw ValidationError("--scale must be above 0 and at most 100") }
    }

    func run() async throws {
        try await reportingErrors {
            let directory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var options = SimulationOptions(days: days, seed: seed, scale: scale)
            if let corpora {
                guard FileManager.default.fileExists(atPath: corpora) else {
                    throw UserError("no corpora folder at \(corpora)")
                }
                options.corpora = URL(fileURLWithPath: corpora)
            }
            let progress = ProgressLine()
            let summary = try Simulator.run(options, into: directory) { lines in
                progress.update("\(ProgressLine.grouped(lines)) lines")
            }
            progress.finish()
            print(
                "wrote \(summary.lines) lines for \(summary.accounts) accounts in "
                    + String(format: "%.1f s", progress.elapsed))
            for file in summary.files { print("  \(file.path)") }
            print("  \(summary.labelsFile.path)")
        }
    }
}
