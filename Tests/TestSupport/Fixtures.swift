import Foundation

/// Files under the repository's `fixtures/` directory.
public enum Fixtures {
    /// `fixtures/` next to `Tests/`, found from this source file's location.
    public static let directory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures").path
    }()

    public static func path(_ name: String) -> String { directory + "/" + name }

    public static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// Compares `actual` with a golden file; with `ROCKS_UPDATE_GOLDEN=1` rewrites it instead.
    public static func matchesGolden(_ actual: String, _ name: String) throws -> Bool {
        if ProcessInfo.processInfo.environment["ROCKS_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path(name)).deletingLastPathComponent().path,
                                                    withIntermediateDirectories: true)
            try actual.write(toFile: path(name), atomically: true, encoding: .utf8)
            return true
        }
        return try text(name) == actual
    }
}
