import Foundation

/// Real data from `../shared/data` beside the project.
enum Fixtures {
    static let sharedData: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/data")
    }()

    static var available: Bool { FileManager.default.fileExists(atPath: sharedData.path) }

    static func lines(_ relativePath: String) throws -> [String] {
        let text = try String(contentsOf: sharedData.appendingPathComponent(relativePath), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
