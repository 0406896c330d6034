import Foundation
import Testing

/// `sluice bench --smoke`: every part of the benchmark runs and reports numbers, so the
/// benchmark cannot rot between the runs that fill the README's table.
@Suite(.serialized) struct BenchSmokeTests {
    @Test(.enabled(if: Products.built)) func smokeRunReportsEveryPart() throws {
        let work = try temporaryDirectory("sluice-bench-smoke")
        defer { try? FileManager.default.removeItem(at: work) }
        var arguments = ["bench", "--smoke", "--json", "--out", work.path]
        arguments += [
            "--reference", Products.packageRoot.appendingPathComponent("Benchmarks/reference_ingest.py").path,
        ]
        if FileManager.default.fileExists(atPath: Products.sharedData.path) {
            arguments += ["--corpora", Products.sharedData.path]
        }
        let result = try run(Products.sluice, arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let ingest = report?["ingest"] as? [String: Any]
        #expect((ingest?["lines"] as? Int ?? 0) > 1000)
        #expect((ingest?["linesPerSecond"] as? Double ?? 0) > 0)
        #expect((ingest?["analysisMicrosecondsPerLine"] as? Double ?? 0) > 0)
        #expect((ingest?["cores"] as? Int ?? 0) >= 1)
        // GNU time gives the replay's CPU time; without it the bench leaves it out.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/time") {
            #expect((ingest?["cpuSeconds"] as? Double ?? 0) > 0)
        }
        let scoring = report?["scoring"] as? [String: Any]
        #expect((scoring?["accounts"] as? Int) == 500)
        #expect((scoring?["cpuSeconds"] as? Double ?? 0) > 0)
        let tail = report?["tail"] as? [String: Any]
        #expect((tail?["linesWritten"] as? Int ?? 0) > 0)
        #expect(report?["gateway"] != nil)
    }

    /// `--only` runs what it names, each part with what it needs (the tail test its simulated log,
    /// without the ingest test that used to write it), and names a part it does not know.
    @Test(.enabled(if: Products.built)) func onlyRunsTheNamedPartsAndRejectsUnknownOnes() throws {
        let work = try temporaryDirectory("sluice-bench-only")
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try run(Products.sluice, ["bench", "--smoke", "--json", "--only", "tail", "--out", work.path])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(((report?["tail"] as? [String: Any])?["linesWritten"] as? Int ?? 0) > 0)
        #expect(report?["ingest"] == nil && report?["scoring"] == nil)
        let unknown = try run(Products.sluice, ["bench", "--only", "ingest,tails"])
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown part 'tails'"), "\(unknown.stderr)")
    }
}
