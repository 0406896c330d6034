import Foundation

/// How many seconds a test waits for something that should happen soon. With the whole suite
/// running at once on two cores, one process can be starved for tens of seconds; a wait ends as
/// soon as its condition holds, so a generous bound costs a passing run nothing and only makes a
/// failing one slower to report.
public let patience: Double = 120

/// Polls `condition` every 100 ms until it holds or `seconds` pass; whether it held.
public func eventually(within seconds: Double = patience, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
