import Foundation

/// What the detector concluded about one account, as input to `Evaluation.evaluate`.
public struct DetectionOutcome: Sendable {
    public var account: String
    /// Event time of the account's first request (epoch seconds).
    public var firstSeen: Double
    /// Requests seen from the account.
    public var requests: Int
    public var flagged: Bool
    /// Event time of the first flag (epoch seconds).
    public var firstFlaggedAt: Double?
    /// Requests seen from the account up to and including the one at which it was first flagged.
    public var requestsAtFlag: Int?
    /// Reason codes of the flag, e.g. `cluster`.
    public var reasonCodes: [String]

    public init(
        account: String, firstSeen: Double, requests: Int, flagged: Bool, firstFlaggedAt: Double? = nil,
        requestsAtFlag: Int? = nil, reasonCodes: [String] = []
    ) {
        self.account = account
        self.firstSeen = firstSeen
        self.requests = requests
        self.flagged = flagged
        self.firstFlaggedAt = firstFlaggedAt
        self.requestsAtFlag = requestsAtFlag
        self.reasonCodes = reasonCodes
    }
}

/// Detection quality against the simulator's labels. Encodes with snake_case keys.
public struct EvaluationReport: Codable, Sendable, Equatable {
    /// Flagged and total accounts of one persona.
    public struct PersonaResult: Codable, Sendable, Equatable {
        public var persona: String
        /// `attack` or `benign`.
        public var label: String
        public var total: Int
        public var flagged: Int
        /// `flagged / total`: recall for an attack persona, false-positive rate for a benign one.
        public var flaggedRate: Double

        enum CodingKeys: String, CodingKey {
            case persona, label, total, flagged
            case flaggedRate = "flagged_rate"
        }
    }

    /// Time from an account's first request to its first flag, over the flagged accounts of a group.
    public struct TimeToDetection: Codable, Sendable, Equatable {
        /// Flagged accounts with a recorded first flag.
        public var accounts: Int
        public var medianSeconds: Double?
        public var p90Seconds: Double?
        public var medianRequests: Double?
        public var p90Requests: Double?

        enum CodingKeys: String, CodingKey {
            case accounts
            case medianSeconds = "median_seconds"
            case p90Seconds = "p90_seconds"
            case medianRequests = "median_requests"
            case p90Requests = "p90_requests"
        }
    }

    /// One row per persona, attack personas first, then by name.
    public var personas: [PersonaResult]
    public var attackAccounts: Int
    public var benignAccounts: Int
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int
    /// `tp / (tp + fp)`; 0 when nothing was flagged.
    public var precision: Double
    /// `tp / attack accounts`; 0 when there are none.
    public var recall: Double
    /// `fp / benign accounts`; 0 when there are none.
    public var benignFalsePositiveRate: Double
    /// Highest flagged rate among benign personas.
    public var worstBenignPersonaRate: Double
    public var hydraMembers: Int
    /// Hydra members flagged with the reason code `cluster`.
    public var hydraFlaggedWithCluster: Int
    public var hydraClusterRate: Double
    public var timeToDetectionAttack: TimeToDetection
    /// Attack personas other than `hydra` and `reseller`.
    public var timeToDetectionSingleAccount: TimeToDetection
    /// Accounts the detector reported that are not in the labels (ignored in every number above).
    public var unlabeledAccounts: Int

    /// An account the detector got wrong: a harvester never flagged, or a benign account flagged.
    public struct Mistake: Codable, Sendable, Equatable {
        public var account: String
        public var persona: String
        /// `attack` (missed) or `benign` (falsely flagged).
        public var label: String
        public var requests: Int
        /// The flag's reason codes; none for a missed harvester.
        public var reasons: [String]

        public init(account: String, persona: String, label: String, requests: Int, reasons: [String]) {
            (self.account, self.persona, self.label, self.requests, self.reasons) =
                (account, persona, label, requests, reasons)
        }
    }

    /// Every mistake, missed harvesters first, then by persona and account: what to look at first.
    public var mistakes: [Mistake] = []

    enum CodingKeys: String, CodingKey {
        case personas
        case attackAccounts = "attack_accounts"
        case benignAccounts = "benign_accounts"
        case truePositives = "true_positives"
        case falsePositives = "false_positives"
        case falseNegatives = "false_negatives"
        case precision, recall
        case benignFalsePositiveRate = "benign_false_positive_rate"
        case worstBenignPersonaRate = "worst_benign_persona_rate"
        case hydraMembers = "hydra_members"
        case hydraFlaggedWithCluster = "hydra_flagged_with_cluster"
        case hydraClusterRate = "hydra_cluster_rate"
        case timeToDetectionAttack = "time_to_detection_attack"
        case timeToDetectionSingleAccount = "time_to_detection_single_account"
        case unlabeledAccounts = "unlabeled_accounts"
        case mistakes
    }

    /// An aligned, human-readable table of the report.
    public func table() -> String {
        var lines: [String] = []
        let personaWidth = max(22, (personas.map(\.persona.count).max() ?? 0) + 2)
        lines.append(
            pad("persona", personaWidth) + pad("label", 8) + leftPad("flagged", 9) + leftPad("total", 7)
                + leftPad("rate", 9))
        lines.append(String(repeating: "-", count: personaWidth + 33))
        for row in personas {
            lines.append(
                pad(row.persona, personaWidth) + pad(row.label, 8) + leftPad("\(row.flagged)", 9)
                    + leftPad("\(row.total)", 7) + leftPad(percent(row.flaggedRate), 9))
        }
        lines.append("")
        let summaryWidth = 40
        func summary(_ name: String, _ value: String) { lines.append(pad(name, summaryWidth) + value) }
        summary("precision", String(format: "%.4f", precision))
        summary("recall (attack accounts)", String(format: "%.4f  (%d/%d)", recall, truePositives, attackAccounts))
        summary(
            "benign false-positive rate",
            String(
                format: "%.4f  (%d/%d)", benignFalsePositiveRate,
                falsePositives, benignAccounts))
        summary("worst benign persona rate", String(format: "%.4f", worstBenignPersonaRate))
        summary(
            "hydra members flagged with 'cluster'",
            String(
                format: "%.4f  (%d/%d)", hydraClusterRate,
                hydraFlaggedWithCluster, hydraMembers))
        if unlabeledAccounts > 0 { summary("unlabeled accounts (ignored)", "\(unlabeledAccounts)") }
        for (label, title) in [("attack", "missed harvesters"), ("benign", "benign accounts flagged")] {
            let rows = mistakes.filter { $0.label == label }
            guard !rows.isEmpty else { continue }
            lines.append("")
            lines.append("\(title) (\(rows.count)):")
            for m in rows.prefix(Self.mistakesShown) {
                let reasons = m.reasons.isEmpty ? "" : "  " + m.reasons.prefix(4).joined(separator: ",")
                lines.append("  " + pad(m.persona, personaWidth) + m.account + "  \(m.requests) requests" + reasons)
            }
            if rows.count > Self.mistakesShown {
                lines.append("  … and \(rows.count - Self.mistakesShown) more (--json lists all)")
            }
        }
        lines.append("")
        lines.append(
            pad("time to detection", summaryWidth) + leftPad("accounts", 9) + leftPad("median", 12)
                + leftPad("p90", 12))
        for (name, value) in [
            ("attack accounts", timeToDetectionAttack),
            ("single-account harvesters", timeToDetectionSingleAccount),
        ] {
            lines.append(
                pad("  \(name), seconds", summaryWidth) + leftPad("\(value.accounts)", 9)
                    + leftPad(number(value.medianSeconds), 12) + leftPad(number(value.p90Seconds), 12))
            lines.append(
                pad("  \(name), requests", summaryWidth) + leftPad("", 9)
                    + leftPad(number(value.medianRequests), 12) + leftPad(number(value.p90Requests), 12))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let mistakesShown = 10

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    private func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    private func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// Scores detector outcomes against labels: plain arithmetic, no detection logic.
public enum Evaluation {
    /// Labels say only a persona's name, so the two kinds of attack that are not one account
    /// harvesting on its own are told by name, whatever generator wrote them: a hydra's members
    /// (`hydra`, `hydra_b`, …: their `cluster` reasons are counted) and a reseller (flagged through
    /// its end users). Every other attack persona is a single-account harvester, whose time to
    /// detection is reported apart.
    public static func isHydra(_ persona: String) -> Bool { persona.contains("hydra") }

    public static func isSingleAccountHarvester(_ persona: String) -> Bool {
        !isHydra(persona) && !persona.contains("reseller")
    }

    /// Accounts in `labels` missing from `outcomes` count as not flagged; outcomes for unlabelled accounts are ignored.
    public static func evaluate(labels: Labels, outcomes: [DetectionOutcome]) -> EvaluationReport {
        var outcomeByAccount: [String: DetectionOutcome] = [:]
        for outcome in outcomes { outcomeByAccount[outcome.account] = outcome }
        let unlabeled = Set(outcomes.map(\.account)).subtracting(labels.accounts.keys).count

        var totals: [String: (label: String, total: Int, flagged: Int)] = [:]
        var truePositives = 0, falsePositives = 0, attackAccounts = 0, benignAccounts = 0
        var hydraMembers = 0, hydraWithCluster = 0
        var attackDelays: [(seconds: Double, requests: Double?)] = []
        var singleDelays: [(seconds: Double, requests: Double?)] = []
        var mistakes: [EvaluationReport.Mistake] = []

        for (account, label) in labels.accounts {
            let outcome = outcomeByAccount[account]
            let flagged = outcome?.flagged ?? false
            var row = totals[label.persona] ?? (label.label, 0, 0)
            row.total += 1
            if flagged { row.flagged += 1 }
            totals[label.persona] = row

            if flagged != label.isAttack {
                mistakes.append(
                    EvaluationReport.Mistake(
                        account: account, persona: label.persona, label: label.label, requests: outcome?.requests ?? 0,
                        reasons: flagged ? outcome?.reasonCodes ?? [] : []))
            }
            if label.isAttack {
                attackAccounts += 1
                if flagged { truePositives += 1 }
                if isHydra(label.persona) {
                    hydraMembers += 1
                    if flagged, outcome?.reasonCodes.contains("cluster") == true { hydraWithCluster += 1 }
                }
                if flagged, let outcome, let flaggedAt = outcome.firstFlaggedAt {
                    let delay = (
                        seconds: max(0, flaggedAt - outcome.firstSeen),
                        requests: outcome.requestsAtFlag.map(Double.init)
                    )
                    attackDelays.append(delay)
                    if isSingleAccountHarvester(label.persona) { singleDelays.append(delay) }
                }
            } else {
                benignAccounts += 1
                if flagged { falsePositives += 1 }
            }
        }

        let personas = totals.map { persona, row in
            EvaluationReport.PersonaResult(
                persona: persona, label: row.label, total: row.total, flagged: row.flagged,
                flaggedRate: ratio(row.flagged, row.total))
        }.sorted { ($0.label == "attack" ? 0 : 1, $0.persona) < ($1.label == "attack" ? 0 : 1, $1.persona) }

        return EvaluationReport(
            personas: personas, attackAccounts: attackAccounts, benignAccounts: benignAccounts,
            truePositives: truePositives, falsePositives: falsePositives,
            falseNegatives: attackAccounts - truePositives,
            precision: ratio(truePositives, truePositives + falsePositives),
            recall: ratio(truePositives, attackAccounts),
            benignFalsePositiveRate: ratio(falsePositives, benignAccounts),
            worstBenignPersonaRate: personas.filter { $0.label != "attack" }.map(\.flaggedRate).max() ?? 0,
            hydraMembers: hydraMembers, hydraFlaggedWithCluster: hydraWithCluster,
            hydraClusterRate: ratio(hydraWithCluster, hydraMembers),
            timeToDetectionAttack: timeToDetection(attackDelays),
            timeToDetectionSingleAccount: timeToDetection(singleDelays),
            unlabeledAccounts: unlabeled,
            mistakes: mistakes.sorted {
                ($0.label == "attack" ? 0 : 1, $0.persona, $0.account) < (
                    $1.label == "attack" ? 0 : 1, $1.persona, $1.account
                )
            })
    }

    private static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }

    private static func timeToDetection(_ delays: [(seconds: Double, requests: Double?)])
        -> EvaluationReport.TimeToDetection
    {
        let seconds = delays.map(\.seconds)
        let requests = delays.compactMap(\.requests)
        return EvaluationReport.TimeToDetection(
            accounts: delays.count, medianSeconds: percentile(seconds, 0.5), p90Seconds: percentile(seconds, 0.9),
            medianRequests: percentile(requests, 0.5), p90Requests: percentile(requests, 0.9))
    }

    /// Linear interpolation between closest ranks (NumPy's default): position `(n - 1) * q` in the sorted values.
    static func percentile(_ values: [Double], _ quantile: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = Double(sorted.count - 1) * quantile
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
