import Dispatch
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// Verifies many signatures on every core. Verification is the most expensive part of both
/// appending a batch and auditing a ledger, and each check is independent.
enum SignatureCheck {
    /// Below this many checks the thread hand-off costs more than it saves.
    static let parallelThreshold = 16

    static func verifyAll(_ jobs: [(SignedRequest, PublicKey)]) -> [Bool] {
        parallelMap(jobs.count) { jobs[$0].0.isSigned(by: jobs[$0].1) }
    }

    /// `[body(0), body(1), …]`, computed on all cores when `count` is large enough.
    static func parallelMap(_ count: Int, _ body: @Sendable (Int) -> Bool) -> [Bool] {
        guard count >= parallelThreshold else { return (0..<count).map(body) }
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
        defer { results.deallocate() }
        results.initialize(repeating: false)
        let slices = min(count, ProcessInfoCores.count * 4)
        // Each slice writes a disjoint range of `results`.
        nonisolated(unsafe) let output = results
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            var index = slice * count / slices
            let end = (slice + 1) * count / slices
            while index < end {
                output[index] = body(index)
                index += 1
            }
        }
        return Array(results)
    }
}

enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 2
        #endif
    }()
}
