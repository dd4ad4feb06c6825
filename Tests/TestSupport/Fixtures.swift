import Foundation

/// Files under the repository's `fixtures/` directory.
public enum Fixtures {
    /// The repository's root, found from this source file's location.
    public static let repository: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// `fixtures/` next to `Tests/`.
    public static let directory = repository + "/fixtures"

    /// A script under `scripts/`, which the tests run as a user would.
    public static func script(_ name: String) -> String { repository + "/scripts/" + name }

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
