import ArgumentParser

struct SetHostInterfaceSubnet: SetHostInterfaceField {
    static let field = "subnet"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
