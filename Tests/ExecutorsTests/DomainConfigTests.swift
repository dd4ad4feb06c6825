import Foundation
import Signing
import Testing
import TestSupport

/// `report host vm config`: the domain XML a start defines, from the views, against
/// libvirt's in-process test driver (RocksHome's default URI), so it runs in a moment.
@Suite struct DomainConfigTests {
    @Test func theXMLCarriesTheLedgersVMAndPicksEachNICsDevice() throws {
        let home = try RocksHome.seeded()
        #expect(home.run("add", "cluster", "ip=137.110.119.118", "num-computes=2").status == 0)
        let listed = try CanonicalJSON.decode(Array(home.run("list", "host", "vm", "output-format=json").stdout.dropLast().utf8))
        let vms = Dictionary(uniqueKeysWithValues: (listed.arrayValue ?? []).compactMap { row in row["host"]?.stringValue.map { ($0, row) } })

        // Booting the OS: the disk first.
        #expect(home.run("set", "host", "boot", "hosted-vm-0-0-0", "action=os").status == 0)
        let compute = home.run("report", "host", "vm", "config", "hosted-vm-0-0-0")
        #expect(compute.status == 0, "\(compute.stderr)")
        let xml = compute.stdout
        #expect(xml.contains("<uuid>\(vms["hosted-vm-0-0-0"]?["uuid"]?.stringValue ?? "?")</uuid>"))
        #expect(xml.contains("<memory unit='MiB'>1024</memory>") && xml.contains("<vcpu>1</vcpu>"))
        #expect(xml.contains("<source pool='default' volume='hosted-vm-0-0-0.vda'/>"))
        // Its NIC is on cluster VLAN 2: macvtap on the container's VLAN device.
        #expect(xml.contains("<interface type='direct'>\n      <mac address='76:77:6e:40:00:02'/>\n      <source dev='peth0.2' mode='bridge'/>"))
        // VNC on a UNIX socket libvirt makes, never on TCP.
        #expect(xml.contains("<graphics type='vnc'>\n      <listen type='socket'/>\n    </graphics>") && !xml.contains("autoport") && xml.contains("<serial type='pty'>"))
        #expect(xml.range(of: "<boot dev='hd'/>")!.lowerBound < xml.range(of: "<boot dev='network'/>")!.lowerBound)

        // The frontend's public NIC is VLAN 0: a tap on its container's public bridge.
        let frontend = home.run("report", "host", "vm", "config", "frontend-0-0-0").stdout
        #expect(frontend.contains("<interface type='bridge'>\n      <mac address='76:77:6e:40:00:01'/>\n      <source bridge='eth1'/>"))

        // Installing boots from the network first, and changes the digest start compares.
        #expect(home.run("set", "host", "boot", "hosted-vm-0-0-0", "action=install").status == 0)
        let install = home.run("report", "host", "vm", "config", "hosted-vm-0-0-0").stdout
        #expect(install.range(of: "<boot dev='network'/>")!.lowerBound < install.range(of: "<boot dev='hd'/>")!.lowerBound)
        func digest(_ text: String) -> Substring? { text.range(of: "digest='").map { text[$0.upperBound...].prefix(64) } }
        #expect(digest(install) != nil && digest(install) != digest(xml))

        // A container that does not answer: the XML still comes from the ledger, the domain type
        // is assumed, and a comment at the top says so.
        #expect(home.run("set", "host", "attr", "vm-container-0-0", "libvirt_uri", "qemu+tcp://127.0.0.1:1/system").status == 0)
        let offline = home.run("report", "host", "vm", "config", "hosted-vm-0-0-0")
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stdout.hasPrefix("<!-- rocks: hosted-vm-0-0-0's container vm-container-0-0 did not answer at qemu+tcp://127.0.0.1:1/system"))
        #expect(offline.stdout.contains("the domain type 'kvm' is assumed"))
        #expect(offline.stdout.contains("<domain type='kvm'>\n  <name>hosted-vm-0-0-0</name>"))
        #expect(digest(offline.stdout) == digest(install))

        expectOneErrorLine(home.run("report", "host", "vm", "config", "vm-container-0-0"), "is not a VM")
        expectOneErrorLine(home.run("report", "host", "vm", "config", "nosuchvm"), "cannot resolve host")
    }
}
