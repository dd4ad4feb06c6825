import ArgumentParser

struct SetHostInterfaceIP: SetHostInterfaceField {
    static let field = "ip"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
