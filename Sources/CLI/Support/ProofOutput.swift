import RocksGrammar

/// Where a proof goes: to `out=` (replaced atomically, one line said), or to stdout.
enum ProofOutput {
    static func emit(_ bytes: [UInt8], to path: String?, what: String, in context: CommandContext) throws {
        if let path {
            try KeyFiles.writeAtomically(bytes, to: path)
            context.print("\(what) written to \(path)")
        } else {
            context.write(String(decoding: bytes, as: UTF8.self))
        }
    }
}
