import RocksGrammar

/// A command that appends one request made from its command line alone. Running it and
/// signing it elsewhere (`rocks ledger sign <command words> …`) build the request through
/// ``request(_:)``, so a request signed on an owner's laptop is the one the command appends.
protocol RequestCommand: RocksCommand {
    /// The request's op: the command's words.
    static var op: String { get }

    /// The request's arguments, checked as far as the command line alone allows.
    static func request(_ arguments: RocksArguments) throws -> [String: String]
}
