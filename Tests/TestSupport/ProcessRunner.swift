import Foundation

/// Runs the package's own executables and system tools (openssl, mdb_dump) as a user would.
public enum ProcessRunner {
    public struct Output: Sendable {
        /// The exit status, or the signal's number when a signal ended the process.
        public let status: Int32
        /// The signal that ended the process (a shell shows it as 128 + the number: SIGPIPE is 141),
        /// nil when it exited.
        public let signal: Int32?
        public let stdout: String
        public let stderr: String
        public let stdoutData: Data
    }

    /// The directory holding this test binary, where SwiftPM also puts the built executables.
    public static let productsDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // A test bundle on Linux is `<products>/<name>.xctest`; on other layouts one level up.
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory.path
    }()

    public static func product(_ name: String) -> String { productsDirectory + "/" + name }

    /// Runs `executable` with `arguments`, feeding `input` on stdin, and waits for it.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           input: Data? = nil) throws -> Output
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try which(executable))
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let signal = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
        return Output(status: process.terminationStatus, signal: signal, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
    }

    public static func which(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
}
