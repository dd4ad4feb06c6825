import ArgumentParser

struct SetHostInterfaceModule: SetHostInterfaceField {
    static let field = "module"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
