import ArgumentParser

struct SetHostInstallAction: SetHostAction {
    static let field = "installaction"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
