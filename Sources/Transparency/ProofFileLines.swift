import Signing

/// Reads the newline-ended lines at the head of a proof file, whose tail is a signed note.
struct ProofFileLines {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next line without its newline; a line with no newline is not a line.
    mutating func next(_ what: String) throws(TransparencyError) -> ArraySlice<UInt8> {
        guard let end = bytes[position...].firstIndex(of: 0x0a) else {
            throw TransparencyError(.malformed, "the proof file ends where \(what) should be")
        }
        defer { position = end + 1 }
        return bytes[position..<end]
    }

    /// Whether the next line starts with `prefix`.
    func peek(_ prefix: String) -> Bool {
        bytes[position...].starts(with: prefix.utf8)
    }

    /// The rest of the file, after the lines read.
    var rest: [UInt8] { Array(bytes[position...]) }

    /// A line `<keyword> <decimal>`.
    static func number(_ line: ArraySlice<UInt8>, keyword: String) throws(TransparencyError) -> UInt64 {
        let prefix = Array((keyword + " ").utf8)
        guard line.starts(with: prefix), let value = Checkpoint.decimal(line.dropFirst(prefix.count)) else {
            throw TransparencyError(.malformed, "expected '\(keyword) <n>' (a decimal without leading zeros)")
        }
        return value
    }

    /// Hash lines up to the blank line that ends them: each the padded base64 of 32 bytes.
    mutating func hashes(limit: Int) throws(TransparencyError) -> [[UInt8]] {
        var hashes: [[UInt8]] = []
        while true {
            let line = try next("a proof hash or the blank line before the checkpoint")
            if line.isEmpty { return hashes }
            guard hashes.count < limit else {
                throw TransparencyError(.tooLarge, "the proof has more than \(limit) hashes")
            }
            guard line.count == 44, let hash = Base64.decode(line), hash.count == MerkleHash.byteCount else {
                throw TransparencyError(.malformed, "proof hash \(hashes.count + 1) is not the padded base64 of \(MerkleHash.byteCount) bytes")
            }
            hashes.append(hash)
        }
    }

    /// The signed checkpoint that ends a proof file, read (not verified) so that a file
    /// whose tail is no checkpoint is refused when read.
    static func checkpoint(_ bytes: [UInt8]) throws(TransparencyError) -> SignedNote {
        let note = try SignedNote(parsing: bytes)
        _ = try Checkpoint(text: note.text)
        return note
    }
}
