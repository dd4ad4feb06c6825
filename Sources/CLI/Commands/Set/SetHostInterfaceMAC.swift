import ArgumentParser

struct SetHostInterfaceMAC: SetHostInterfaceField {
    static let field = "mac"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
