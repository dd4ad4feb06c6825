import RocksGrammar
import ArgumentParser

/// A `rocks` command: ArgumentParser finds it by its command words and renders its help;
/// Rocks' own grammar (``Grammar``) parses its tokens; ``execute(_:in:)`` does the work.
protocol RocksCommand: ParsableCommand {
    static var grammar: Grammar { get }
    /// Every token after the command words, for Rocks' grammar to parse.
    var tokens: [String] { get }
    func execute(_ arguments: RocksArguments, in context: CommandContext) throws
}

/// The help text shown for the tokens argument of every command.
let tokensHelp = ArgumentHelp("Parameters as key=value, or positionally in the documented order.",
                              valueName: "parameters")
