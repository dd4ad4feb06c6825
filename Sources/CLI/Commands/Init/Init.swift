import RocksGrammar
import ArgumentParser
import Ledger
import Projections
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// `rocks init`: creates `$ROCKS_HOME`, the admin and frontend keys, and the genesis record.
struct Init: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the ledger, its admin and frontend keys, and the genesis record.",
        discussion: """
            \(grammar.usage("rocks init"))

            Refuses a ROCKS_HOME that already holds a ledger. The admin key signs every \
            operator command; the frontend key signs checkpoints. Both are Ed25519, mode 0600.
            """)
    static let grammar = Grammar(
        positional: ["name", "public-ip"],
        parameters: ["name=<frontend fqdn>", "public-ip=<ip>", "public-netmask=255.255.255.0", "private-ip=10.1.1.1",
                     "private-netmask=255.255.0.0", "public-mtu=1500", "private-mtu=1500"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        var args = arguments.parameters
        _ = try arguments.required("name", "must supply name=<the frontend's fully qualified name>")
        _ = try arguments.required("public-ip", "must supply public-ip=<the frontend's public IP address>")
        for (name, value) in [("public-netmask", "255.255.255.0"), ("private-ip", "10.1.1.1"), ("private-netmask", "255.255.0.0"),
                              ("public-mtu", "1500"), ("private-mtu", "1500")] {
            args[name] = args[name] ?? value
        }
        // Every argument, defaults included, goes into the genesis record: later code must
        // not have to know today's defaults to read it.
        let settings = try FrontendSettings(initArguments: args)
        guard !Ledger.exists(at: context.ledgerDirectory) else {
            // A damaged ledger is said to be damaged, with what to do, not merely to exist.
            var options = LMDBEnvironment.Options()
            options.readOnly = true
            _ = try Ledger(directory: context.ledgerDirectory, projection: DomainProjection(), options: options)
            throw CLIError("a ledger already exists at \(context.ledgerDirectory)")
        }
        try makeDirectory(context.home, mode: 0o755)
        try makeDirectory(context.keysDirectory, mode: 0o700)
        // Keys without a ledger are a ledger lost, not room for a new one: they sign its backups' records.
        for path in [context.adminKeyPath, context.frontendKeyPath] where access(path, F_OK) == 0 {
            throw CLIError("\(path) belongs to a ledger that is missing from \(context.ledgerDirectory): restore its data.mdb "
                           + "from a backup, or run init with another ROCKS_HOME; init never replaces keys")
        }
        // Creating the ledger directory is what claims this ROCKS_HOME: a second `rocks init`
        // running at the same time fails here, and never touches this one's files.
        guard mkdir(context.ledgerDirectory, 0o700) == 0 else {
            throw CLIError(errno == EEXIST ? "a ledger already exists (or is being created) at \(context.ledgerDirectory)"
                                           : "cannot create \(context.ledgerDirectory): \(String(cString: strerror(errno)))")
        }

        let admin = try PrivateKey.generate(.ed25519)
        let frontend = try PrivateKey.generate(.ed25519)
        args[Genesis.adminKeyArgument] = admin.publicKey.pem
        args[Genesis.frontendKeyArgument] = frontend.publicKey.pem
        let envelope = RequestEnvelope(op: Genesis.op, args: args, signer: admin.publicKey, ledger: .random(), now: context.clock())
        let genesis = try SignedRequest(signing: envelope, with: admin)

        // Keys first, under temporary names, so that a failed init leaves nothing behind and
        // a ledger never exists without the keys that sign for it.
        let pending = [(admin, context.adminKeyPath), (frontend, context.frontendKeyPath)].map { ($0.0, $0.1, $0.1 + ".new-\(getpid())") }
        defer { for (_, _, temporary) in pending { unlink(temporary) } }
        do {
            for (key, _, temporary) in pending { try KeyFiles.writePrivateKey(try key.pkcs8PEM(), to: temporary) }
        } catch {
            rmdir(context.ledgerDirectory)
            throw error
        }
        let ledger: Ledger
        do {
            ledger = try Ledger.create(directory: context.ledgerDirectory, genesis: genesis, frontendKey: frontend,
                                       projection: DomainProjection(), clock: context.clock, logger: context.logger)
        } catch {
            // Only this process created the directory, so only its files are removed.
            for file in ["data.mdb", "lock.mdb"] { unlink(context.ledgerDirectory + "/" + file) }
            rmdir(context.ledgerDirectory)
            throw error
        }
        for (_, path, temporary) in pending where rename(temporary, path) != 0 {
            throw CLIError("cannot move the key into \(path): \(String(cString: strerror(errno)))")
        }
        context.print("created ledger \(ledger.id) for \(settings.fqdn) in \(context.ledgerDirectory)")
        context.print("admin key \(admin.id) in \(context.adminKeyPath)")
        context.print("frontend key \(frontend.id) in \(context.frontendKeyPath)")
    }

    private func makeDirectory(_ path: String, mode: mode_t) throws(CLIError) {
        guard mkdir(path, mode) == 0 || errno == EEXIST else {
            throw CLIError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }
}
