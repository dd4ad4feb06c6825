import Foundation
import Testing
import TestSupport

/// Every committed fuzz input, the crashes once found among them, replayed through its
/// target's checks in the ordinary build (scripts/fuzz.sh runs them under libFuzzer and
/// AddressSanitizer): a reader that changes its answer on one of them fails here.
@Suite struct FuzzCorpusTests {
    @Test(arguments: ["fuzz-json", "fuzz-record", "fuzz-signed-request", "fuzz-grammar", "fuzz-names", "fuzz-note", "fuzz-proof"])
    func theCorpusPassesItsChecks(target: String) throws {
        let corpus = Fixtures.path("fuzz/\(target)")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { !$0.hasPrefix(".") }
        #expect(files.count >= 5, "\(target)'s corpus is nearly empty")
        let result = try ProcessRunner.run(ProcessRunner.product(target), [corpus], environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "replayed \(files.count) inputs\n")
    }
}
