import Foundation

/// Ground truth for one simulated account.
public struct AccountLabel: Codable, Sendable, Equatable {
    /// Persona name, e.g. `chat_user` or `hydra`.
    public var persona: String
    /// `attack` or `benign`.
    public var label: String

    public init(persona: String, label: String) {
        self.persona = persona
        self.label = label
    }

    /// Whether the account harvests.
    public var isAttack: Bool { label == "attack" }
}

/// `labels.json`: `{"accounts": {"<account id>": {"persona": "...", "label": "..."}}}`.
public struct Labels: Codable, Sendable, Equatable {
    public var accounts: [String: AccountLabel]

    public init(accounts: [String: AccountLabel]) {
        self.accounts = accounts
    }

    /// Reads a labels file: the simulator's shape, or one of the shapes other generators write
    /// (see `init(json:)`).
    public static func load(_ url: URL) throws -> Labels {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LabelsError(
                FileManager.default.fileExists(atPath: url.path) ? "the file cannot be read" : "no such file")
        }
        return try Labels(json: data)
    }

    /// Accepts, besides the simulator's `{"accounts": {id: {"persona", "label"}}}`:
    /// - lists by label: `{"attack": [id…], "benign": [id…], "personas": {id: persona}}` (`personas` optional);
    /// - a map of labels: `{id: "attack" | "benign"}` or `{id: {"label", "persona"?}}`, at the top or under `accounts`.
    ///
    /// A persona left out is the label. Labels other than `attack` and `benign` are refused by name.
    public init(json data: Data) throws {
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LabelsError("not a JSON object")
        }
        var accounts: [String: AccountLabel] = [:]
        if let attack = top["attack"] as? [Any], let benign = top["benign"] as? [Any] {
            let personas = top["personas"] as? [String: Any] ?? [:]
            for (label, ids) in [("attack", attack), ("benign", benign)] {
                for case let id as String in ids {
                    accounts[id] = AccountLabel(persona: personas[id] as? String ?? label, label: label)
                }
            }
        } else {
            let map = top["accounts"] as? [String: Any] ?? top
            for (id, value) in map {
                let entry = value as? [String: Any]
                guard let label = value as? String ?? entry?["label"] as? String else {
                    throw LabelsError("account \(id) has no label")
                }
                accounts[id] = AccountLabel(persona: entry?["persona"] as? String ?? label, label: label)
            }
        }
        if let wrong = accounts.first(where: { $0.value.label != "attack" && $0.value.label != "benign" }) {
            throw LabelsError("account \(wrong.key) is labelled \"\(wrong.value.label)\"; use attack or benign")
        }
        guard !accounts.isEmpty else { throw LabelsError("no labelled accounts") }
        self.init(accounts: accounts)
    }

    /// Writes pretty, key-sorted JSON so equal labels give equal bytes.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        try data.write(to: url, options: .atomic)
    }
}

/// A labels file Sluice cannot read, and why.
public struct LabelsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
