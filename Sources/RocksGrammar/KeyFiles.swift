import Signing

#if canImport(Glibc)
import Glibc
#endif

/// Private and public key files on disk. Private keys are written with mode 0600 and
/// refused when group or others can read them, as ssh does.
package enum KeyFiles {
    /// The largest key file we read.
    package static let maximumByteCount = 64 * 1024

    /// Reads a whole small file, refusing anything larger than `limit`.
    package static func read(_ path: String, limit: Int = maximumByteCount) throws(CLIError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { return bytes }
            bytes += buffer.prefix(count)
            guard bytes.count <= limit else { throw CLIError("\(path) is larger than \(limit) bytes") }
        }
    }

    /// Loads a private key, refusing a file that group or others may read.
    package static func loadPrivateKey(_ path: String, passphrase: String? = nil) throws -> PrivateKey {
        let pem = try readPrivate(path)
        do {
            return try PrivateKey(pem: pem, passphrase: passphrase)
        } catch {
            throw CLIError("\(path): \(error.message)")
        }
    }

    /// A private key file's text, refusing a file that group or others may read.
    package static func readPrivate(_ path: String) throws(CLIError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CLIError("cannot read the private key \(path): \(String(cString: strerror(errno)))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw CLIError("private key \(path) has mode \(String(mode, radix: 8)), readable by others: run chmod 600 \(path)")
        }
        return String(decoding: try read(path), as: UTF8.self)
    }

    /// Writes `pem` to a new file of mode 0600; refuses to replace an existing file.
    package static func writePrivateKey(_ pem: String, to path: String) throws(CLIError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw CLIError("\(path) already exists; choose another file or remove it first") }
            throw CLIError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // The umask can only remove bits; set the mode explicitly all the same.
        fchmod(fd, 0o600)
        try writeAll(fd, Array(pem.utf8), path: path)
        guard fsync(fd) == 0 else { throw CLIError("cannot sync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Replaces `path` atomically (write a temporary file, sync, rename) with mode `mode`.
    package static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(CLIError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw CLIError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(temporary)
        }
        try writeAll(fd, bytes, path: temporary)
        guard fsync(fd) == 0 else { throw CLIError("cannot sync \(temporary): \(String(cString: strerror(errno)))") }
        close(fd)
        closed = true
        guard rename(temporary, path) == 0 else { throw CLIError("cannot replace \(path): \(String(cString: strerror(errno)))") }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(CLIError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// A public key given as PEM text or as the path of a PEM file.
    package static func publicKeyPEM(_ value: String) throws(CLIError) -> String {
        if value.hasPrefix("-----BEGIN") { return value }
        return String(decoding: try read(value), as: UTF8.self)
    }

    /// `create keys key=<file> [type=ed25519|rsa] [bits=3072] [passphrase=yes|no]
    /// [passphrase-file=<file>]`: writes the private key (mode 0600, AES-256 encrypted with a
    /// passphrase, Rocks' default) and returns the public key's PEM.
    package static func createKeys(_ arguments: RocksArguments, prompt: (String) -> String?) throws -> String {
        let path = try arguments.required("key", "must supply key=<the private key file to create>")
        let type = try arguments.choice("type", KeyKind.allCases.map(\.rawValue), default: KeyKind.ed25519.rawValue)
        let kind = KeyKind(rawValue: type)!
        if kind == .ed25519, arguments["bits"] != nil { throw CLIError("bits= applies to type=rsa only") }
        let bits = try arguments.integer("bits", in: KeyKind.rsaGenerationBits, default: 3072)
        let passphrase = try newPassphrase(arguments, prompt: prompt)
        let key = try PrivateKey.generate(kind, rsaBits: bits)
        try writePrivateKey(try key.pkcs8PEM(passphrase: passphrase), to: path)
        return key.publicKey.pem
    }

    /// The passphrase on the first line of `path` (`passphrase-file=`), as `openssl -passin
    /// file:` reads one.
    package static func passphrase(fromFile path: String) throws -> String {
        let text = String(decoding: try read(path, limit: 4096), as: UTF8.self)
        let line = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        guard !line.isEmpty else { throw CLIError("\(path) holds no passphrase on its first line") }
        return line
    }

    /// The passphrase to encrypt a new key with, or nil for an unencrypted key.
    private static func newPassphrase(_ arguments: RocksArguments, prompt: (String) -> String?) throws -> String? {
        let file = arguments["passphrase-file"]
        // Rocks' default: keys are encrypted unless the user says passphrase=no.
        guard try arguments.bool("passphrase", default: true) else {
            if file != nil { throw CLIError("passphrase-file= needs passphrase=yes") }
            return nil
        }
        if let file { return try passphrase(fromFile: file) }
        guard let first = prompt("Enter passphrase: ") else {
            throw CLIError("passphrase=yes needs a terminal or passphrase-file=<file>; use passphrase=no for an unencrypted key")
        }
        guard prompt("Verify passphrase: ") == first else { throw CLIError("the passphrases do not match") }
        guard !first.isEmpty else { throw CLIError("the passphrase must not be empty") }
        return first
    }
}
