import CLI
import Foundation
import Signing
import Testing
import TestSupport

/// `rocks ledger sign` reads a command line by the named command's own grammar, checks what
/// it can offline, and `ledger submit` reads the signed document in any JSON spelling.
@Suite struct LedgerSignTests {
    private func signed(_ home: RocksHome, _ words: [String]) throws -> SignedRequest {
        let result = home.run(["ledger", "sign"] + words + ["signing-key=\(home.path)/keys/admin.pem"])
        #expect(result.status == 0, "\(result.stderr)")
        return try SignedRequest(document: Array(result.stdout.utf8))
    }

    @Test func theCommandsWordsAreItsOpAndItsValuesItsParameters() throws {
        let home = try RocksHome.initialised()
        let start = try signed(home, ["start", "host", "vm", "hosted-vm-0-0-0", "compute-0-0-0"])
        #expect(start.envelope.op == "start host vm")
        #expect(start.envelope.args == ["hosts": "hosted-vm-0-0-0 compute-0-0-0"])
        let stop = try signed(home, ["stop", "host", "vm", "compute-0-0-0", "graceful=yes", "timeout=30"])
        #expect(stop.envelope.args == ["hosts": "compute-0-0-0", "graceful": "yes", "timeout": "30"])
        // A default command of a group (`add host` is `add host plain`), positional values too.
        let add = try signed(home, ["add", "host", "vm-container-0-5", "membership=VM Container"])
        #expect(add.envelope.op == "add host")
        #expect(add.envelope.args == ["name": "vm-container-0-5", "membership": "VM Container"])
    }

    @Test func mistakesAreCaughtWhereTheRequestIsSigned() throws {
        let home = try RocksHome.initialised()
        let key = "signing-key=\(home.path)/keys/admin.pem"
        expectOneErrorLine(home.run("ledger", "sign", "list", "host", key), "'list host' is not a command that appends a request")
        expectOneErrorLine(home.run("ledger", "sign", "frobnicate", "x", key), "'frobnicate' is not a command that appends a request")
        expectOneErrorLine(home.run("ledger", "sign", "start", "host", "vm", "x", "mem=3", key), "unknown parameter 'mem' (valid: async)")
        expectOneErrorLine(home.run("ledger", "sign", "stop", "host", "vm", "x", "graceful=yes", "timeout=99999", key),
                           "timeout must be a whole number of seconds from 1 to 3600, not '99999'")
        expectOneErrorLine(home.run("ledger", "sign", "add", "host", "vm", "vm-container-0-0", "membership=Compute", "mac=zz", key), "mac 'zz' is not a MAC address")
        expectOneErrorLine(home.run("ledger", "sign", "start", "host", "vm", key), "must supply at least one VM")
    }

    @Test func aSignedRequestIsReadInAnyJSONSpelling() throws {
        let home = try RocksHome.initialised()
        let request = try signed(home, ["add", "host", "membership=VM Container"])
        let text = String(decoding: request.document, as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        // Pretty-printed, keys in the other order, the slashes escaped: `jq .` and friends.
        let pretty = "{\n  \"signature\" : \"\(object["signature"]!)\",\n  \"request\" : \(jsonString(object["request"]!))\n}\n"
        let file = try home.write(pretty, "pretty.json")
        #expect(home.run("ledger", "submit", file).stdout == "appended record 2\n")

        let head = home.head
        let twice = try home.write("{\"request\":\"x\",\"request\":\"y\",\"signature\":\"AA\"}", "twice.json")
        expectOneErrorLine(home.run("ledger", "submit", twice), "not a signed request")
        let text3 = try home.write("hello, auditor\n", "text.txt")
        expectOneErrorLine(home.run("ledger", "submit", text3), "not a signed request (a JSON object with exactly the string members \"request\" and \"signature\"")
        let extra = try home.write("{\"request\":\"x\",\"signature\":\"AA\",\"note\":\"hi\"}", "extra.json")
        expectOneErrorLine(home.run("ledger", "submit", extra), "not a signed request: it must be a JSON object")
        let huge = try home.write("{\"request\":\"" + String(repeating: "a", count: 82_000) + "\",\"signature\":\"AA\"}", "huge.json")
        expectOneErrorLine(home.run("ledger", "submit", huge), "huge.json is larger than 81920 bytes")
        #expect(home.head == head)
    }

    /// `request` as a JSON string with every `/` escaped, as some encoders write it.
    private func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
