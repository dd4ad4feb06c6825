import ArgumentParser

struct SetHostInterfaceName: SetHostInterfaceField {
    static let field = "name"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
