import Foundation
import SluiceSimulator
import Testing

@Suite struct EvaluationTests {
    /// Six attack accounts (one never reported), five benign (one never reported).
    private func example() -> (Labels, [DetectionOutcome]) {
        let labels = Labels(accounts: [
            "a1": AccountLabel(persona: "instruction_harvester", label: "attack"),
            "a2": AccountLabel(persona: "reasoning_harvester", label: "attack"),
            "a3": AccountLabel(persona: "hydra", label: "attack"),
            "a4": AccountLabel(persona: "hydra", label: "attack"),
            "a5": AccountLabel(persona: "code_harvester", label: "attack"),
            "a6": AccountLabel(persona: "reseller", label: "attack"),
            "b1": AccountLabel(persona: "chat_user", label: "benign"),
            "b2": AccountLabel(persona: "chat_user", label: "benign"),
            "b3": AccountLabel(persona: "chat_user", label: "benign"),
            "b4": AccountLabel(persona: "chat_user", label: "benign"),
            "b5": AccountLabel(persona: "eval_harness", label: "benign"),
        ])
        let outcomes = [
            DetectionOutcome(
                account: "a1", firstSeen: 1_000, requests: 900, flagged: true, firstFlaggedAt: 1_600,
                requestsAtFlag: 300, reasonCodes: ["output_volume"]),
            DetectionOutcome(
                account: "a2", firstSeen: 1_000, requests: 900, flagged: true, firstFlaggedAt: 2_000,
                requestsAtFlag: 500, reasonCodes: ["reasoning"]),
            DetectionOutcome(
                account: "a3", firstSeen: 1_000, requests: 90, flagged: true, firstFlaggedAt: 4_600,
                requestsAtFlag: 40, reasonCodes: ["cluster"]),
            DetectionOutcome(
                account: "a4", firstSeen: 1_000, requests: 90, flagged: true, firstFlaggedAt: 8_200,
                requestsAtFlag: 80, reasonCodes: ["novelty"]),
            DetectionOutcome(
                account: "a6", firstSeen: 0, requests: 50, flagged: true, firstFlaggedAt: 100,
                requestsAtFlag: 10, reasonCodes: ["end_user"]),
            DetectionOutcome(
                account: "b1", firstSeen: 0, requests: 30, flagged: true, firstFlaggedAt: 50,
                requestsAtFlag: 5, reasonCodes: ["novelty"]),
            DetectionOutcome(account: "b2", firstSeen: 0, requests: 30, flagged: false),
            DetectionOutcome(account: "b3", firstSeen: 0, requests: 30, flagged: false),
            DetectionOutcome(account: "b5", firstSeen: 0, requests: 3_000, flagged: false),
            DetectionOutcome(
                account: "stranger", firstSeen: 0, requests: 1, flagged: true, firstFlaggedAt: 1,
                requestsAtFlag: 1),
        ]
        return (labels, outcomes)
    }

    private func close(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) < 1e-9
    }

    @Test func precisionRecallAndFalsePositiveRate() {
        let (labels, outcomes) = example()
        let report = Evaluation.evaluate(labels: labels, outcomes: outcomes)
        #expect(report.attackAccounts == 6)
        #expect(report.benignAccounts == 5)
        #expect(report.truePositives == 5)
        #expect(report.falsePositives == 1)
        #expect(report.falseNegatives == 1)
        #expect(close(report.precision, 5.0 / 6.0))
        #expect(close(report.recall, 5.0 / 6.0))
        #expect(close(report.benignFalsePositiveRate, 0.2))
        #expect(close(report.worstBenignPersonaRate, 0.25))
        #expect(report.hydraMembers == 2)
        #expect(report.hydraFlaggedWithCluster == 1)
        #expect(close(report.hydraClusterRate, 0.5))
        #expect(report.unlabeledAccounts == 1)
    }

    @Test func perPersonaRowsCountMissingAccountsAsNotFlagged() throws {
        let (labels, outcomes) = example()
        let report = Evaluation.evaluate(labels: labels, outcomes: outcomes)
        let rows = Dictionary(uniqueKeysWithValues: report.personas.map { ($0.persona, $0) })
        #expect(rows["chat_user"]?.total == 4)
        #expect(rows["chat_user"]?.flagged == 1)
        #expect(rows["code_harvester"]?.flagged == 0)
        #expect(rows["hydra"]?.flagged == 2)
        #expect(rows["eval_harness"]?.flaggedRate == 0)
        // Attack personas first, each group by name.
        #expect(
            report.personas.map(\.persona) == [
                "code_harvester", "hydra", "instruction_harvester", "reasoning_harvester", "reseller",
                "chat_user", "eval_harness",
            ])
    }

    @Test func mistakesNameTheMissedHarvestersThenTheFlaggedBenignAccounts() {
        let (labels, outcomes) = example()
        let report = Evaluation.evaluate(labels: labels, outcomes: outcomes)
        #expect(
            report.mistakes == [
                EvaluationReport.Mistake(
                    account: "a5", persona: "code_harvester", label: "attack", requests: 0, reasons: []),
                EvaluationReport.Mistake(
                    account: "b1", persona: "chat_user", label: "benign", requests: 30, reasons: ["novelty"]),
            ])
        let table = report.table()
        #expect(table.contains("missed harvesters (1):") && table.contains("benign accounts flagged (1):"))
        #expect(table.contains("b1  30 requests  novelty"))
    }

    @Test func timeToDetectionMedianAndP90() {
        let (labels, outcomes) = example()
        let report = Evaluation.evaluate(labels: labels, outcomes: outcomes)
        // Attack delays: 100, 600, 1000, 3600, 7200 s; requests 10, 40, 80, 300, 500.
        let attack = report.timeToDetectionAttack
        #expect(attack.accounts == 5)
        #expect(close(attack.medianSeconds, 1_000))
        #expect(close(attack.p90Seconds, 5_760))  // 3600 + 0.6 * (7200 - 3600)
        #expect(close(attack.medianRequests, 80))
        #expect(close(attack.p90Requests, 420))  // 300 + 0.6 * (500 - 300)
        // Single-account harvesters exclude hydra and reseller: 600 and 1000 s, 300 and 500 requests.
        let single = report.timeToDetectionSingleAccount
        #expect(single.accounts == 2)
        #expect(close(single.medianSeconds, 800))
        #expect(close(single.p90Seconds, 960))
        #expect(close(single.medianRequests, 400))
        #expect(close(single.p90Requests, 480))
    }

    @Test func emptyInputsGiveZerosNotNaN() throws {
        let report = Evaluation.evaluate(labels: Labels(accounts: [:]), outcomes: [])
        #expect(report.precision == 0 && report.recall == 0 && report.benignFalsePositiveRate == 0)
        #expect(report.timeToDetectionAttack.medianSeconds == nil)
        _ = try JSONEncoder().encode(report)
        #expect(report.table().contains("precision"))
    }

    @Test func reportEncodesWithSnakeCaseKeysAndPrintsATable() throws {
        let (labels, outcomes) = example()
        let report = Evaluation.evaluate(labels: labels, outcomes: outcomes)
        let encoded = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        for key in [
            "benign_false_positive_rate", "hydra_flagged_with_cluster", "time_to_detection_single_account",
            "precision", "recall", "personas",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let time = try #require(object["time_to_detection_attack"] as? [String: Any])
        #expect(time["p90_requests"] as? Double == 420)
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: JSONEncoder().encode(report)) == report)

        let table = report.table()
        #expect(table.contains("chat_user"))
        #expect(table.contains("0.8333"))
        let rowWidths = Set(table.split(separator: "\n").prefix(9).dropFirst(2).map(\.count))
        #expect(rowWidths.count == 1, "persona rows are aligned")
    }

    @Test func labelsRoundTripThroughTheFileFormat() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        let json = #"{"accounts": {"team-1": {"persona": "hydra", "label": "attack"}}}"#
        try Data(json.utf8).write(to: url)
        let labels = try Labels.load(url)
        #expect(labels.accounts["team-1"] == AccountLabel(persona: "hydra", label: "attack"))
    }

    /// Other generators write labels in other shapes; all of these mean the same two accounts.
    @Test func labelsAreReadInTheShapesOtherGeneratorsWrite() throws {
        let expected = [
            "a": AccountLabel(persona: "hydra", label: "attack"), "b": AccountLabel(persona: "chat", label: "benign"),
        ]
        let shapes = [
            #"{"attack": ["a"], "benign": ["b"], "personas": {"a": "hydra", "b": "chat"}, "notes": {"x": 1}}"#,
            #"{"a": {"label": "attack", "persona": "hydra"}, "b": {"label": "benign", "persona": "chat"}}"#,
            #"{"accounts": {"a": {"label": "attack", "persona": "hydra"}, "b": {"label": "benign", "persona": "chat"}}}"#,
        ]
        for shape in shapes {
            #expect(try Labels(json: Data(shape.utf8)).accounts == expected, "\(shape)")
        }
        #expect(
            try Labels(json: Data(#"{"a": "attack"}"#.utf8)).accounts["a"]
                == AccountLabel(persona: "attack", label: "attack"))
        #expect(throws: LabelsError.self) { try Labels(json: Data(#"{"a": "suspicious"}"#.utf8)) }
        #expect(throws: LabelsError.self) { try Labels(json: Data(#"{"a": 3}"#.utf8)) }
        #expect(throws: LabelsError.self) { try Labels(json: Data("[]".utf8)) }
    }
}
