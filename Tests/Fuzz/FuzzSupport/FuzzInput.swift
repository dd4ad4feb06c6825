#if canImport(Glibc)
import Glibc
#endif

/// What the fuzz targets share. Each target is built twice: with `-DFUZZING` and the
/// sanitizers, libFuzzer calls its `LLVMFuzzerTestOneInput`; without, its `main` replays
/// files and directories of inputs through the same check (`scripts/fuzz.sh` and CI replay
/// the committed corpora this way too). A check that finds two readers disagreeing, or an
/// answer that breaks a rule, stops the process with the reason: libFuzzer keeps the input.
public enum FuzzInput {
    /// The bytes libFuzzer lends, copied.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Runs `check` over every file named on the command line, and every file in every
    /// directory named; prints how many, and exits 1 if none could be read.
    public static func replay(_ check: ([UInt8]) -> Void) {
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            let files = entries(of: path).map { path + "/" + $0 }
            for file in files.isEmpty ? [path] : files {
                guard let bytes = read(file) else { continue }
                check(bytes)
                count += 1
            }
        }
        print("replayed \(count) inputs")
        if count == 0 { exit(1) }
    }

    /// Stops the process when `condition` is false: the input broke a rule.
    public static func require(_ condition: @autoclosure () -> Bool, _ reason: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz check failed: \(reason())") }
    }

    private static func entries(of path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    private static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count <= 0 { return count == 0 ? bytes : nil }
            bytes += buffer.prefix(count)
        }
    }
}
