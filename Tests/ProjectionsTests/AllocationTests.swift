import CLI
import Foundation
import Projections
import Signing
import Testing
import TestSupport

@Suite struct AllocationTests {
    @Test(arguments: [
        ("137.110.119.117", "76:77:6e:40:00:00"),
        ("137.110.119.118", "76:77:6e:80:00:00"),
        ("198.202.77.10", "0a:4d:ca:80:00:00"),
    ])
    func theVMMACBaseComesFromTheFrontendsPublicIP(ip: String, base: String) throws {
        let range = MACAddress.vmRange(frontendPublicIP: try #require(IPv4Address(ip)))
        #expect(MACAddress(value: range.lowerBound)?.description == base)
        #expect(range.count == 1 << 22)
    }

    private func json(_ result: RocksCLI.Result) throws -> [JSONValue] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try CanonicalJSON.decode(Array(result.stdout.dropLast().utf8)).arrayValue)
    }

    @Test func macsGoUpFromTheHighestEverHandedOutAndExhaustionIsAnError() throws {
        let home = try RocksHome.initialised()
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        #expect(home.run("report", "vm", "nextmac").stdout == "76:77:6e:40:00:00\n")
        // An operator's MAC in the range moves the mark: allocation continues above it.
        #expect(home.run("add", "host", "interface", "vm-container-0-0", "eth1", "mac=76:77:6e:40:01:00").status == 0)
        #expect(home.run("report", "vm", "nextmac").stdout == "76:77:6e:40:01:01\n")
        #expect(home.run("add", "host", "interface", "vm-container-0-0", "eth2", "mac=76:77:6e:7f:ff:ff").status == 0)
        let head = home.head
        expectOneErrorLine(home.run("add", "host", "vm", "vm-container-0-0", "membership=Compute"), "the VM MAC range 76:77:6e:40:00:00–76:77:6e:7f:ff:ff is exhausted")
        #expect(home.head == head)
    }

    @Test func vlansAreTheLowestFreeAndNeverShared() throws {
        let home = try RocksHome.initialised()
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        #expect(home.run("add", "host", "interface", "vm-container-0-0", "eth1", "vlan=2").status == 0)
        #expect(home.run("add", "cluster", "137.110.119.118", "1").status == 0)
        #expect(home.run("add", "cluster", "137.110.119.119", "1", "vlan=7").status == 0)
        #expect(home.run("add", "cluster", "137.110.119.120", "0").status == 0)
        let clusters = try json(home.run("list", "cluster", "output-format=json"))
        #expect(clusters.compactMap { $0["vlan"]?.integerValue } == [3, 7, 4])
        expectOneErrorLine(home.run("add", "cluster", "137.110.119.121", "1", "vlan=7"), "Vlan ID (7) is already used by")
    }

    @Test func privateIPsAreHandedOutFirstFreeFromTheTop() throws {
        let home = try RocksHome.initialised()
        for _ in 0..<3 { #expect(home.run("add", "host", "membership=VM Container").status == 0) }
        let ips = { try self.json(home.run("list", "host", "interface", "vm-container", "output-format=json")).compactMap { $0["ip"]?.stringValue } }
        #expect(try ips() == ["10.1.255.254", "10.1.255.253", "10.1.255.252"])
        #expect(home.run("remove", "host", "vm-container-0-1").status == 0)
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        // The freed .253 is the first free address from the top again; then .251.
        #expect(try ips() == ["10.1.255.254", "10.1.255.252", "10.1.255.253"])
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        #expect(try ips().last == "10.1.255.251")
    }

    @Test func slicesAndNamesAreNeverDuplicated() throws {
        let home = try RocksHome.initialised()
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        let first = home.run("add", "host", "vm", "vm-container-0-0", "compute")
        let second = home.run("add", "host", "vm", "vm-container-0-0", "membership=Compute")
        #expect(first.stdout == "added VM compute-0-0-0 on physical node vm-container-0-0\n")
        #expect(second.stdout == "added VM compute-0-0-1 on physical node vm-container-0-0\n")
        // A name taken by hand is skipped, not duplicated (Rocks 6.1 reused slice 0).
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute", "name=compute-0-0-2").status == 0)
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute").stdout == "added VM compute-0-0-3 on physical node vm-container-0-0\n")
        expectOneErrorLine(home.run("add", "host", "vm", "vm-container-0-0", "compute", "slice=1"), "slice 1 is already used on vm-container-0-0")
    }

    @Test func computesGoRoundRobinOverTheNamedContainers() throws {
        let home = try RocksHome.initialised()
        for _ in 0..<3 { #expect(home.run("add", "host", "membership=VM Container").status == 0) }
        #expect(home.run("add", "cluster", "137.110.119.118", "5", "container-hosts=vm-container-0-2 vm-container-0-0", "fe-container=vm-container-0-1").status == 0)
        let vms = try json(home.run("list", "host", "vm", "output-format=json"))
        #expect(vms.compactMap { $0["container"]?.stringValue } == ["vm-container-0-1", "vm-container-0-2", "vm-container-0-0", "vm-container-0-2", "vm-container-0-0", "vm-container-0-2"])
        #expect(vms.compactMap { $0["host"]?.stringValue } == ["frontend-0-1-0", "hosted-vm-0-2-0", "hosted-vm-0-0-0", "hosted-vm-0-2-1", "hosted-vm-0-0-1", "hosted-vm-0-2-2"])
        // Without containers, computes land on the physical frontend.
        let alone = try RocksHome.initialised()
        #expect(alone.run("add", "cluster", "137.110.119.118", "1").stdout.contains("hosted-vm-0-0-1"))
    }
}
