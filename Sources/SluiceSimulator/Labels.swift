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

    /// Reads a labels file written by the simulator.
    public static func load(_ url: URL) throws -> Labels {
        try JSONDecoder().decode(Labels.self, from: Data(contentsOf: url))
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
