import CLI
import Foundation
import Signing
import Testing
import TestSupport

/// The users guide's walk-through (§3.3) on a fresh ledger: espresso with two VM containers
/// and `rocks add cluster ip="137.110.119.118" num-computes=2`.
@Suite struct SeedWalkthroughTests {
    static func seededHome() throws -> RocksHome { try RocksHome.seeded() }

    @Test func addClusterPrintsTheSeedsLines() throws {
        let home = try Self.seededHome()
        let result = home.run("add", "cluster", "ip=137.110.119.118", "num-computes=2")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            created frontend VM named: frontend-0-0-0
            created compute VM named: hosted-vm-0-0-0
            created compute VM named: hosted-vm-0-1-0

            """)
    }

    @Test func listOutputsMatchTheGoldenFiles() throws {
        let home = try Self.seededHome()
        #expect(try Fixtures.matchesGolden(home.run("list", "cluster").stdout, "seed/list-cluster-before.txt"))
        #expect(home.run("add", "cluster", "137.110.119.118", "2").status == 0)
        let goldens: [([String], String)] = [
            (["list", "cluster"], "seed/list-cluster.txt"),
            (["list", "host"], "seed/list-host.txt"),
            (["list", "host", "vm"], "seed/list-host-vm.txt"),
            (["list", "host", "vm", "showdisks=yes"], "seed/list-host-vm-showdisks.txt"),
            (["list", "host", "interface"], "seed/list-host-interface.txt"),
            (["list", "host", "interface", "frontend-0-0-0"], "seed/list-host-interface-frontend-0-0-0.txt"),
            (["list", "host", "interface", "vm-container-0-0"], "seed/list-host-interface-vm-container-0-0.txt"),
            (["report", "vm", "nextmac"], "seed/report-vm-nextmac.txt"),
        ]
        for (arguments, golden) in goldens {
            let result = home.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(try Fixtures.matchesGolden(result.stdout, golden), "\(arguments.joined(separator: " ")) differs from \(golden)")
        }
    }

    @Test func theVirtualFrontendHasTheSeedsMACsVLANAndAddresses() throws {
        let home = try Self.seededHome()
        #expect(home.run("add", "cluster", "ip=137.110.119.118", "num-computes=2").status == 0)
        let json = home.run("list", "host", "interface", "frontend-0-0-0", "output-format=json").stdout
        let rows = try #require(try CanonicalJSON.decode(Array(json.dropLast().utf8)).arrayValue)
        #expect(rows.count == 2)
        #expect(rows[0]["iface"] == "eth0" && rows[0]["mac"] == "76:77:6e:40:00:00" && rows[0]["subnet"] == "private" && rows[0]["vlan"] == 2)
        #expect(rows[1]["iface"] == "eth1" && rows[1]["mac"] == "76:77:6e:40:00:01" && rows[1]["subnet"] == "public")
        #expect(rows[1]["ip"] == "137.110.119.118")
        let vms = try #require(try CanonicalJSON.decode(Array(home.run("list", "host", "vm", "output-format=json").stdout.dropLast().utf8)).arrayValue)
        #expect(vms.map { $0["host"]?.stringValue } == ["frontend-0-0-0", "hosted-vm-0-0-0", "hosted-vm-0-1-0"])
        #expect(vms[1]["macs"] == ["76:77:6e:40:00:02"] && vms[2]["macs"] == ["76:77:6e:40:00:03"])
        #expect(vms.map { $0["container"]?.stringValue } == ["espresso", "vm-container-0-0", "vm-container-0-1"])
        let uuids = Set(vms.compactMap { $0["uuid"]?.stringValue })
        #expect(uuids.count == 3 && uuids.allSatisfy { $0.count == 36 && $0.dropFirst(14).first == "8" })
    }

    @Test func hostArgumentsAcceptNamesMACsAppliancesAndRacks() throws {
        let home = try Self.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "2").status == 0)
        func hosts(_ argument: String) throws -> [String] {
            let json = home.run("list", "host", argument, "output-format=json").stdout
            return try #require(try CanonicalJSON.decode(Array(json.dropLast().utf8)).arrayValue).compactMap { $0["host"]?.stringValue }
        }
        #expect(try hosts("76:77:6e:40:00:02") == ["hosted-vm-0-0-0"])
        #expect(try hosts("00:14:4f:80:de:01") == ["vm-container-0-1"])
        #expect(try hosts("vm-container") == ["vm-container-0-0", "vm-container-0-1"])
        #expect(try hosts("frontend") == ["espresso", "frontend-0-0-0"])
        #expect(try hosts("espresso.rocksclusters.org") == ["espresso"])
        #expect(try hosts("10.1.255.253") == ["vm-container-0-1"])
        // VMs inherit their container's rack and rank, as in Rocks.
        #expect(try hosts("rack0").count == 6)
    }
}
