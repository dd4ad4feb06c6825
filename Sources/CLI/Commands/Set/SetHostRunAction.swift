import ArgumentParser

struct SetHostRunAction: SetHostAction {
    static let field = "runaction"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
