import Foundation
import SluiceSimulator
import Testing

/// Detection quality on traffic Sluice was not built on: the six held-out generators in
/// `Tests/heldout*` (written without sight of the detector, from the real corpora in
/// `shared/data`), replayed by the real `sluice eval`, in each log format. A change that loses
/// harvesters or flags a legitimate heavy user fails here, not in a review of the README's tables.
@Suite(.serialized) struct HeldOutDetectionTests {
    /// `python3` on the PATH, as a user would run the generators.
    static let python3: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    static let available =
        Products.built && FileManager.default.fileExists(atPath: Products.sharedData.path) && python3 != nil

    func python(_ script: String, _ arguments: [String]) throws {
        let path = Products.packageRoot.appendingPathComponent(script).path
        let result = try run(try #require(Self.python3), [path] + arguments)
        try #require(result.status == 0, "\(script): \(result.stderr)")
    }

    func evaluate(_ folder: URL, format: String) throws -> EvaluationReport {
        let result = try run(
            Products.sluice,
            [
                "eval", folder.appendingPathComponent("traffic.jsonl").path, "--labels",
                folder.appendingPathComponent("labels.json").path, "--format", format, "--json",
            ])
        try #require(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(EvaluationReport.self, from: Data(result.stdout.utf8))
    }

    func expectCaught(_ report: EvaluationReport, _ what: String) {
        #expect(report.recall >= 0.95, "\(what): recall \(report.recall)")
        #expect(
            report.falsePositives == 0, "\(what): \(report.falsePositives) of \(report.benignAccounts) benign flagged")
        #expect(report.hydraMembers > 0, "\(what): the traffic has a hydra")
        #expect(
            report.hydraFlaggedWithCluster * 10 >= report.hydraMembers * 9,
            "\(what): \(report.hydraFlaggedWithCluster) of \(report.hydraMembers) hydra members flagged as a cluster")
    }

    @Test(.enabled(if: available)) func theFirstHeldOutSetInTheOpenAIFormat() throws {
        let work = try temporaryDirectory("sluice-heldout1")
        defer { try? FileManager.default.removeItem(at: work) }
        try python(
            "Tests/heldout/heldout_traffic.py",
            ["--out", work.path, "--seed", "11", "--data", Products.sharedData.path])
        expectCaught(try evaluate(work, format: "openai"), "held-out 1, seed 11")
    }

    @Test(.enabled(if: available)) func theSecondHeldOutSetInTheLiteLLMAndNginxFormats() throws {
        let work = try temporaryDirectory("sluice-heldout2")
        defer { try? FileManager.default.removeItem(at: work) }
        let litellm = work.appendingPathComponent("litellm")
        let nginx = work.appendingPathComponent("nginx")
        try python(
            "Tests/heldout2/heldout_litellm.py",
            ["--out", litellm.path, "--seed", "7", "--data", Products.sharedData.path])
        expectCaught(try evaluate(litellm, format: "litellm"), "held-out 2, seed 7, LiteLLM")
        try python("Tests/heldout2/to_nginx.py", ["--in", litellm.path, "--out", nginx.path])
        expectCaught(try evaluate(nginx, format: "nginx"), "held-out 2, seed 7, nginx")
        try FileManager.default.removeItem(at: nginx)
        // An adaptive harvester's cheapest disguise: a made-up conversation in front of every question.
        let dressed = work.appendingPathComponent("history")
        try python("Tests/heldout2/evasions.py", ["--in", litellm.path, "--out", dressed.path, "--evasion", "history"])
        expectCaught(try evaluate(dressed, format: "litellm"), "held-out 2, seed 7, made-up histories")
        try FileManager.default.removeItem(at: dressed)
        // And the cheapest way to buy the end-user credit: a made-up `user` with every request.
        let crowd = work.appendingPathComponent("end-users")
        try python("Tests/heldout2/evasions.py", ["--in", litellm.path, "--out", crowd.path, "--evasion", "end-users"])
        expectCaught(try evaluate(crowd, format: "litellm"), "held-out 2, seed 7, made-up end users")
    }

    /// The third set is held to what it gives now (see the README's Evaluation: a repeated-prompt
    /// sampler and a fake chat app are still missed, a one-off eval-set build is flagged), and its
    /// agentic harvesters, whose made-up tool rounds once hid them entirely, must stay caught.
    @Test(.enabled(if: available)) func theThirdHeldOutSetInTheOpenAIFormat() throws {
        let work = try temporaryDirectory("sluice-heldout3")
        defer { try? FileManager.default.removeItem(at: work) }
        try python(
            "Tests/heldout3/heldout_openai.py",
            ["--out", work.path, "--seed", "32", "--data", Products.sharedData.path])
        let report = try evaluate(work, format: "openai")
        #expect(report.recall >= 0.9, "held-out 3: recall \(report.recall)")
        #expect(
            report.falsePositives <= 1,
            "held-out 3: \(report.falsePositives) of \(report.benignAccounts) benign flagged")
        #expect(report.hydraFlaggedWithCluster * 10 >= report.hydraMembers * 85 / 10, "held-out 3: hydra")
        // The harvesters each fix caught: a made-up agent trajectory in front of every question, and
        // rejection sampling by separate requests (each prompt re-sent the same day at temperature ≥ 0.7).
        let fixed = report.personas.filter {
            $0.label == "attack" && ($0.persona.hasPrefix("agentic") || $0.persona.hasPrefix("repeat_sample"))
        }
        #expect(fixed.count == 3 && fixed.allSatisfy { $0.flagged == $0.total }, "\(fixed)")
    }

    /// The fourth set, at a third of its volume (~52k lines), held to what it gives now (see the
    /// README's Evaluation): harvesters that dress as an app with made-up returning end users, a
    /// reward-model harvester and a reseller's rotating harvest are still missed. Its agentic
    /// harvesters (tools declared, the loop never run) must stay caught, and its copywriting apps,
    /// three customers of one app, must not be linked into a cluster that flags them.
    @Test(.enabled(if: available)) func theFourthHeldOutSetInTheLiteLLMFormat() throws {
        let work = try temporaryDirectory("sluice-heldout4")
        defer { try? FileManager.default.removeItem(at: work) }
        try python(
            "Tests/heldout4/heldout_litellm4.py",
            ["--out", work.path, "--seed", "41", "--scale", "0.3", "--data", Products.sharedData.path])
        let report = try evaluate(work, format: "litellm")
        #expect(report.recall >= 0.8, "held-out 4: recall \(report.recall)")
        #expect(
            report.falsePositives <= 1,
            "held-out 4: \(report.falsePositives) of \(report.benignAccounts) benign flagged")
        #expect(report.hydraFlaggedWithCluster * 10 >= report.hydraMembers * 8, "held-out 4: hydra")
        let agents = report.personas.filter { $0.label == "attack" && $0.persona.hasPrefix("agentic") }
        #expect(agents.count == 1 && agents.allSatisfy { $0.flagged == $0.total }, "\(agents)")
        let apps = report.personas.filter { $0.persona == "content_writing_saas" }
        #expect(apps.count == 1 && apps.allSatisfy { $0.flagged == 0 }, "\(apps)")
    }

    /// The fifth set, nginx lines written as nginx writes them (no token counts, no teams, each
    /// API key an account), held to what it gave on its first run: a reward-model harvester is
    /// missed, and three bounded jobs (an eval lab's first AlpacaEval run, a blog batch, a small
    /// user's GSM8K script) are flagged.
    @Test(.enabled(if: available)) func theFifthHeldOutSetInTheNginxFormat() throws {
        let work = try temporaryDirectory("sluice-heldout5")
        defer { try? FileManager.default.removeItem(at: work) }
        try python(
            "Tests/heldout5/heldout_nginx5.py",
            ["--out", work.path, "--seed", "51", "--data", Products.sharedData.path])
        let report = try evaluate(work, format: "nginx")
        #expect(report.recall >= 0.95, "held-out 5: recall \(report.recall)")
        #expect(
            report.falsePositives <= 3,
            "held-out 5: \(report.falsePositives) of \(report.benignAccounts) benign flagged")
        #expect(report.hydraFlaggedWithCluster * 10 >= report.hydraMembers * 9, "held-out 5: hydra")
    }

    /// The sixth set, ten days in the `openai` format, held to what it gives now: harvesters that
    /// really converse, distil long-context summaries or tool calls (small answers), or grade, are
    /// missed; synthetic test-data jobs and a sampling study are flagged. Its analytics apps,
    /// whose long completions are a reasoning model's hidden reasoning, must not be, and every
    /// hydra member must be flagged.
    @Test(.enabled(if: available)) func theSixthHeldOutSetInTheOpenAIFormat() throws {
        let work = try temporaryDirectory("sluice-heldout6")
        defer { try? FileManager.default.removeItem(at: work) }
        try python(
            "Tests/heldout6/heldout_openai6.py",
            ["--out", work.path, "--seed", "61", "--data", Products.sharedData.path])
        let report = try evaluate(work, format: "openai")
        #expect(report.recall >= 0.8, "held-out 6: recall \(report.recall)")
        #expect(
            report.falsePositives <= 4,
            "held-out 6: \(report.falsePositives) of \(report.benignAccounts) benign flagged")
        let hydras = report.personas.filter { $0.persona.hasPrefix("hydra") }
        #expect(hydras.count == 3 && hydras.allSatisfy { $0.flagged == $0.total }, "\(hydras)")
        let apps = report.personas.filter { $0.persona == "analytics_reasoning_app" }
        #expect(apps.count == 1 && apps.allSatisfy { $0.flagged == 0 }, "\(apps)")
    }
}
