import ArgumentParser

struct SetHostBoot: SetHostAction {
    static let field = "boot"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
