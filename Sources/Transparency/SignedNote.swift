/// A c2sp.org/signed-note: a text ending in a newline, a blank line, and one or more
/// signature lines. The exact text bytes are kept beside the parsed signatures, and
/// signatures are checked over those bytes.
public struct SignedNote: Sendable, Hashable {
    /// The largest note read: a checkpoint is a few hundred bytes, and a reader must not
    /// be made to hold or hash megabytes.
    public static let sizeLimit = 1 << 20
    /// The most signature lines read. The spec asks for at least 16; Go's reader takes 100.
    public static let signatureLimit = 100

    /// The signed text, with its final newline and without the blank line after it.
    public let text: [UInt8]
    /// The signature lines in their order in the note, repeats included.
    public let signatures: [NoteSignature]

    /// Reads a note's syntax; trusts nothing: ``verify(_:)`` checks the signatures.
    public init(parsing bytes: [UInt8]) throws(TransparencyError) {
        guard bytes.count <= Self.sizeLimit else {
            throw TransparencyError(.tooLarge, "the signed note has \(bytes.count) bytes; at most \(Self.sizeLimit) are read")
        }
        try Self.checkCharacters(bytes, "the signed note")
        // The text ends at the last blank line: the text may itself contain blank lines.
        guard let split = Self.lastBlankLine(bytes) else {
            throw TransparencyError(.malformed, "the signed note has no blank line before its signatures")
        }
        let text = Array(bytes[...split])
        let block = bytes[(split + 2)...]
        guard block.last == 0x0a else {
            throw TransparencyError(.malformed, "the signed note has no signature lines, or its last line has no newline")
        }
        var signatures: [NoteSignature] = []
        var start = block.startIndex
        while start < block.endIndex {
            guard signatures.count < Self.signatureLimit else {
                throw TransparencyError(.tooLarge, "the signed note has more than \(Self.signatureLimit) signatures")
            }
            let end = block[start...].firstIndex(of: 0x0a)!
            signatures.append(try NoteSignature(line: block[start..<end]))
            start = end + 1
        }
        self.text = text
        self.signatures = signatures
    }

    /// A note from a text and its signatures, with the text checked as a reader would check it.
    public init(text: [UInt8], signatures: [NoteSignature]) throws(TransparencyError) {
        guard text.last == 0x0a else {
            throw TransparencyError(.malformed, "a note's text ends in a newline")
        }
        try Self.checkCharacters(text, "the note's text")
        guard !signatures.isEmpty, signatures.count <= Self.signatureLimit else {
            throw TransparencyError(.malformed, "a signed note has 1 to \(Self.signatureLimit) signatures")
        }
        for signature in signatures { try NoteKeyName.check(signature.name) }
        self.text = text
        self.signatures = signatures
    }

    /// Signs `text` with each signer.
    public static func sign(_ text: [UInt8], with signers: [NoteSigner]) throws(TransparencyError) -> SignedNote {
        guard text.last == 0x0a else {
            throw TransparencyError(.malformed, "a note's text ends in a newline")
        }
        try checkCharacters(text, "the note's text")
        var signatures: [NoteSignature] = []
        for signer in signers { signatures.append(try signer.sign(text)) }
        return try SignedNote(text: text, signatures: signatures)
    }

    /// The note as written: the text, a blank line, the signature lines.
    public var bytes: [UInt8] {
        text + [0x0a] + signatures.flatMap { Array($0.line.utf8) }
    }

    /// The signatures by `keys` that verify, each key once, after checking that every
    /// signature claiming a trusted key's name and id verifies.
    ///
    /// Signatures by other keys are ignored (the spec requires it: that is how logs rotate
    /// keys and witnesses cosign). A trusted key's signature that fails refuses the whole
    /// note, and so does a note with no signature by a trusted key.
    public func verify(_ keys: [NoteVerifierKey]) throws(TransparencyError) -> [NoteSignature] {
        var verified: [NoteSignature] = []
        var checked: Set<NoteSignature> = []
        for signature in signatures where !checked.contains(signature) {
            checked.insert(signature)
            let matching = Set(keys.filter { $0.name == signature.name && $0.keyID == signature.keyID })
            guard let key = matching.first else { continue }
            guard matching.count == 1 else {
                throw TransparencyError(.signatureRejected, "two trusted keys share the name '\(signature.name)' and key id \(NoteVerifierKey.hex(signature.keyID))")
            }
            guard key.isValidSignature(signature.signature, for: text) else {
                throw TransparencyError(.signatureRejected, "the signature by \(signature.name)+\(NoteVerifierKey.hex(signature.keyID)) does not verify")
            }
            if !verified.contains(where: { $0.name == signature.name && $0.keyID == signature.keyID }) {
                verified.append(signature)
            }
        }
        guard !verified.isEmpty else {
            let trusted = keys.map { "\($0.name)+\(NoteVerifierKey.hex($0.keyID))" }.joined(separator: ", ")
            throw TransparencyError(.signatureRejected, "the note has no signature by a trusted key (\(trusted.isEmpty ? "none given" : trusted))")
        }
        return verified
    }

    /// Valid UTF-8 with no control character but the newline.
    static func checkCharacters(_ bytes: some Collection<UInt8>, _ what: String) throws(TransparencyError) {
        for byte in bytes where byte < 0x20 && byte != 0x0a {
            throw TransparencyError(.malformed, "\(what) contains control character 0x\(String(byte, radix: 16)); only the newline is allowed")
        }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return
            case .error: throw TransparencyError(.malformed, "\(what) is not valid UTF-8")
            }
        }
    }

    /// The index of the first newline of the last "\n\n".
    static func lastBlankLine(_ bytes: [UInt8]) -> Int? {
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0a && bytes[index + 1] == 0x0a { return index }
            index -= 1
        }
        return nil
    }
}
