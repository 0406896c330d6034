import Foundation
import Testing
@testable import SluiceSimulator

@Test(.enabled(if: ProcessInfo.processInfo.environment["SIM_DUMP"] != nil))
func dumpForInspection() throws {
    let environment = ProcessInfo.processInfo.environment
    let scale = Double(environment["SIM_SCALE"] ?? "1") ?? 1
    let days = Int(environment["SIM_DAYS"] ?? "2") ?? 2
    let corpora = environment["SIM_CORPORA"].map { URL(fileURLWithPath: $0) }
    let started = Date()
    let summary = try Simulator.run(SimulationOptions(days: days, seed: 1, scale: scale, corpora: corpora),
                                    into: URL(fileURLWithPath: environment["SIM_DUMP"]!))
    print("SIMDUMP lines=\(summary.lines) accounts=\(summary.accounts) seconds=\(Date().timeIntervalSince(started))")
}
