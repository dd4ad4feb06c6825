import ArgumentParser

struct SetHostInterfaceVLAN: SetHostInterfaceField {
    static let field = "vlan"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
