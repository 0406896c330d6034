import Foundation

private let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tests-\(getpid())")

/// The folder every test folder of this process goes under, removed when the process exits, so
/// that test runs do not leave hundreds of folders (databases and logs among them) in the
/// system's temporary directory. `SLUICE_KEEP_TEST_FILES=1` keeps it, to look at after a failure.
public let scratchRoot: URL = {
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    if ProcessInfo.processInfo.environment["SLUICE_KEEP_TEST_FILES"] != "1" {
        atexit { try? FileManager.default.removeItem(at: root) }
    }
    return root
}()

/// A new, empty folder named `prefix-UUID` under `scratchRoot`.
public func scratchDirectory(_ prefix: String) throws -> URL {
    let url = scratchRoot.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
