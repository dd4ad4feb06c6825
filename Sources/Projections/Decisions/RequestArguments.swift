import Ledger
import Signing

/// Reading request arguments the way Rocks validates them, with Rocks' messages.
extension RequestEnvelope {
    /// Arguments are printable text: a control character in a name or a value (a NUL, an
    /// escape sequence) is refused before anything reads it, so no view, list or script ever
    /// holds one. The multi-line values may hold line breaks: a key's PEM (`key`, and
    /// genesis' `admin-key` and `frontend-key`) and a network deployment's `files`, one
    /// `sha256sum` line per file.
    func checkPrintable() throws(DomainError) {
        for (name, value) in args {
            let lineBreaks: Set<Unicode.Scalar> = switch name {
            case _ where name == "key" || name.hasSuffix("-key"): ["\n", "\r"]
            case "files": ["\n"]
            default: []
            }
            if MessageText.hasControl(name) || value.unicodeScalars.contains(where: { MessageText.isControl($0) && !lineBreaks.contains($0) }) {
                throw DomainError("parameter \(MessageText.quote(name)) holds a control character: \(MessageText.quote(value))")
            }
        }
    }

    func mac(_ name: String = "mac") throws(DomainError) -> MACAddress? {
        guard let text = args[name], !text.isEmpty else { return nil }
        guard let mac = MACAddress(text.lowercased()) else {
            throw DomainError("\(name) '\(text)' is not a MAC address (six hex octets separated by colons)")
        }
        return mac
    }

    func ip(_ name: String = "ip") throws(DomainError) -> IPv4Address? {
        guard let text = args[name], !text.isEmpty else { return nil }
        guard let ip = IPv4Address(text) else { throw DomainError("\(name) '\(text)' is not an IPv4 address") }
        return ip
    }

    /// A comma-separated list of MACs.
    func macList(_ name: String) throws(DomainError) -> [MACAddress] {
        var macs: [MACAddress] = []
        for text in (args[name] ?? "").split(separator: ",") {
            guard let mac = MACAddress(String(text).lowercased()) else { throw DomainError("\(name): '\(text)' is not a MAC address") }
            macs.append(mac)
        }
        return macs
    }

    /// A domain UUID in its canonical 8-4-4-4-12 lower-case form.
    func uuid() throws(DomainError) -> String? {
        guard let text = args["uuid"], !text.isEmpty else { return nil }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        guard groups == [8, 4, 4, 4, 12], Hex.decode(String(text.filter { $0 != "-" })) != nil else {
            throw DomainError("uuid '\(text)' is not a lower-case UUID like 2f1c0f3e-8a6b-8c2d-9e4f-0123456789ab")
        }
        return text
    }

    /// A whitespace- or comma-separated host list argument.
    func list(_ name: String) -> [String] {
        (args[name] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }

    /// `virt-type`: KVM runs only full virtualisation. Checked for every request (Rocks 6.1
    /// checked it only with several containers, reference §9.2 #5).
    func checkVirtType() throws(DomainError) {
        if let type = args["virt-type"], type.lowercased() != "hvm" {
            throw DomainError("KVM support only 'hvm' virtualization")
        }
    }
}

extension ViewStore {
    func settings(in txn: borrowing Transaction) throws -> FrontendSettings {
        guard let settings = try row(.settings, FrontendSettings.key, as: FrontendSettings.self, in: txn) else {
            throw DomainError("the ledger has no frontend settings (no init record)")
        }
        return settings
    }
}
