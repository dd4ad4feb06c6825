import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock seconds spent in `body`, from the monotonic clock.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    var start = timespec(), end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    try body()
    clock_gettime(CLOCK_MONOTONIC, &end)
    return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}

func rate(_ count: Int, _ time: Double) -> String {
    let value = Int((Double(count) / time).rounded())
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    return (formatter.string(from: NSNumber(value: value)) ?? String(value)) + "/s"
}

func milliseconds(_ time: Double) -> String { String(format: "%.1f ms", time * 1000) }

func microseconds(_ time: Double) -> String { String(format: "%.1f µs", time * 1_000_000) }

/// A fresh directory under `dir=`, so everything measured in one run shares one disk.
func scratch(_ label: String) -> String {
    var template = Array("\(settings["dir"]!)/rocks-bench-\(label).XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("cannot create a directory under \(settings["dir"]!)") }
    return String(cString: made)
}
