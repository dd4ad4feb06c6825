import RocksGrammar
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// The frontends a client has met, as ssh keeps host keys: one line per Airboss address,
/// `<host:port> <ledger id> <frontend key, base64 of its SPKI DER>`, in
/// `~/.rocks/known_frontends` (mode 0600). A first connection records the line; every later
/// one must find the same ledger and key behind that address, or is refused.
///
/// The ledger id is pinned with the key: through the seed's ssh tunnel every frontend is
/// `localhost:8677`, so the address alone says nothing.
package struct KnownFrontends: Sendable {
    package struct Entry: Sendable, Equatable {
        package let airboss: String
        package let ledger: LedgerID
        package let key: PublicKey

        package init(airboss: String, ledger: LedgerID, key: PublicKey) {
            self.airboss = airboss
            self.ledger = ledger
            self.key = key
        }

        var line: String { "\(airboss) \(ledger.hex) \(Base64.encode(key.spkiDER))" }
    }

    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// `$ROCKS_USER_DIR`, else `$HOME/.rocks`: the client's own directory.
    package static func userDirectory(_ environment: [String: String]) -> String {
        environment["ROCKS_USER_DIR"] ?? ((environment["HOME"] ?? "/root") + "/.rocks")
    }

    package func entries() throws(CLIError) -> [Entry] {
        guard access(path, F_OK) == 0 else { return [] }
        let text = String(decoding: try KeyFiles.read(path, limit: 1 << 20), as: UTF8.self)
        var entries: [Entry] = []
        for (number, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") && !line.isEmpty {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let ledger = LedgerID(hex: fields[1]), let der = Base64.decode(String(fields[2])),
                  let key = try? PublicKey(spkiDER: der)
            else { throw CLIError("\(path), line \(number + 1), is not '<host:port> <ledger id> <base64 key>'") }
            entries.append(Entry(airboss: String(fields[0]), ledger: ledger, key: key))
        }
        return entries
    }

    package func entry(for airboss: String) throws(CLIError) -> Entry? {
        try entries().first { $0.airboss == airboss }
    }

    package func entry(forLedger ledger: LedgerID) throws(CLIError) -> Entry? {
        try entries().first { $0.ledger == ledger }
    }

    /// Records `entry`, creating the directory (0700) and the file (0600) if needed.
    package func add(_ entry: Entry) throws(CLIError) {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty, access(directory, F_OK) != 0, mkdir(directory, 0o700) != 0 {
            throw CLIError("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        let lines = try entries().map(\.line) + [entry.line]
        try KeyFiles.writeAtomically(Array((lines.joined(separator: "\n") + "\n").utf8), to: path, mode: 0o600)
    }
}
