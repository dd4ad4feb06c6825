import CLI
import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// Bad input for every domain command: one error line, exit 1, nothing appended.
@Suite struct DomainBadInputTests {
    @Test func everyCommandRefusesBadInputWithoutAppending() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "1").status == 0)
        let cases: [([String], String)] = [
            // add host
            (["add", "host"], "must supply a membership"),
            (["add", "host", "membership=Router"], "could not get membership id for membership \"Router\""),
            (["add", "host", "membership=VM Container", "rack=a"], "rack must be a whole number from 0 to 65535, not 'a'"),
            (["add", "host", "membership=VM Container", "mac=00:14:4F:80:DE:00:11"], "is not a MAC address"),
            (["add", "host", "membership=VM Container", "mac=00:14:4f:80:de:00"], "MAC 00:14:4f:80:de:00 is already used by vm-container-0-0/eth0"),
            (["add", "host", "membership=VM Container", "ip=10.1.300.1"], "is not an IPv4 address"),
            (["add", "host", "membership=VM Container", "ip=10.1.255.254"], "IP address 10.1.255.254 is already used"),
            (["add", "host", "vm-container-0-0", "membership=VM Container"], "node \"vm-container-0-0\" is already in the database"),
            (["add", "host", "membership=Frontend"], "created by 'rocks init'"),
            // addresses belong to their network, and are neither its own address nor its broadcast
            (["add", "host", "membership=VM Container", "ip=10.9.9.9"], "IP address 10.9.9.9 is not in the private network 10.1.0.0/16"),
            (["add", "host", "membership=VM Container", "ip=10.1.0.0"], "IP address 10.1.0.0 is the private network's own address (10.1.0.0/16)"),
            (["add", "host", "membership=VM Container", "ip=10.1.255.255"], "IP address 10.1.255.255 is the private network's broadcast address"),
            // ranges are said, not only that a number is wrong
            (["add", "host", "membership=VM Container", "cpus=0"], "cpus must be a whole number from 1 to 1024, not '0'"),
            // names cannot shadow the host-selection keywords, and long ones are cut and limited
            (["add", "host", "frontend", "membership=VM Container"], "\"frontend\" is the appliance name of every Frontend host"),
            (["add", "host", "vm-container", "membership=VM Container"], "is the appliance name of every VM Container host"),
            (["add", "host", "compute", "membership=Compute"], "is the appliance name of every Compute host"),
            (["add", "host", "rack12", "membership=VM Container"], "\"rack12\" names every host in a rack"),
            (["add", "host", String(repeating: "a", count: 3000), "membership=Compute"],
             "host name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' (3000 characters) is longer than 63 characters"),
            // control characters are refused, and escaped when echoed
            (["set", "host", "attr", "vm-container-0-0", "note", "a\u{1b}[31mred"], "parameter 'value' holds a control character: 'a\\u{1b}[31mred'"),
            (["list", "host", "a\u{0}b\nc"], "cannot resolve host \"a\\u{0}b\\nc\""),
            // add host interface
            (["add", "host", "interface", "vm-container-0-0"], "must supply an interface"),
            (["add", "host", "interface", "nosuchhost", "eth1"], "cannot resolve host \"nosuchhost\""),
            (["add", "host", "interface", "vm-container-0-0", "eth0"], "interface \"eth0\" already exists on host vm-container-0-0"),
            (["add", "host", "interface", "vm-container-0-0", "eth1", "subnet=dmz"], "could not get subnet id for subnet \"dmz\""),
            (["add", "host", "interface", "vm-container-0-0", "eth1", "vlan=two"], "vlan must be 0 (untagged) or a whole number from 2 to 4095, not 'two'"),
            (["add", "host", "interface", "vm-container-0-0", "eth1", "mac=76:77:6e:40:00:00"], "is already used by frontend-0-0-0/eth0"),
            (["add", "host", "interface", "vm-container-0-0", "Eth1"], "is not valid"),
            (["add", "host", "interface", "vm-container-0-0", "eth1", "ip=192.168.9.9"], "IP address 192.168.9.9 is in neither the private network 10.1.0.0/16 nor the public network 137.110.119.0/24"),
            (["add", "host", "interface", "vm-container-0-0", "eth1", "ip=137.110.119.255", "subnet=public"], "is the public network's broadcast address"),
            (["add", "host", "interface", "vm-container-0-0", "eth1", "vlan=1"], "vlan must be 0 (untagged) or a whole number from 2 to 4095, not '1'"),
            (["add", "host", "interface", "vm-container-0-0", "vlan0", "vlan=0"], "interface vlan0 would carry VLAN 0; VLANs are 2 to 4095"),
            (["add", "host", "interface", "vm-container-0-0", "vlan7", "vlan=8"], "interface vlan7 carries VLAN 7, not 8"),
            (["add", "host", "interface", "hosted-vm-0-0-0", "eth5"], "host hosted-vm-0-0-0 is a VM: its interfaces come with it"),
            (["set", "host", "interface", "ip", "vm-container-0-0", "eth0", "10.1.255.255"], "is the private network's broadcast address"),
            (["set", "host", "interface", "vlan", "vm-container-0-0", "eth0", "1"], "not '1'"),
            // add host vm
            (["add", "host", "vm", "vm-container-0-0"], "must supply a membership"),
            (["add", "host", "vm", "membership=Compute"], "must supply at least one host"),
            (["add", "host", "vm", "nosuchhost", "compute"], "cannot resolve host \"nosuchhost\""),
            (["add", "host", "vm", "vm-container-0-0", "membership=Gadget"], "could not get membership id"),
            (["add", "host", "vm", "vm-container-0-0", "compute", "mem=lots"], "mem must be a whole number of MiB from 1 to 4194304, not 'lots'"),
            (["add", "host", "vm", "vm-container-0-0", "compute", "num-macs=x"], "num-macs must be a whole number from 1 to 16, not 'x'"),
            (["add", "host", "vm", "vm-container", "compute", "name=x"], "can't supply the 'name' parameter with more than one host"),
            (["add", "host", "vm", "vm-container-0-0", "compute", "virt-type=para"], "KVM support only 'hvm' virtualization"),
            (["add", "host", "vm", "hosted-vm-0-0-0", "compute"], "is a VM; a VM cannot hold VMs"),
            (["add", "host", "vm", "vm-container-0-0", "compute", "name=hosted-vm-0-0-0"], "node \"hosted-vm-0-0-0\" is already in the database"),
            (["add", "host", "vm", "vm-container-0-0", "compute", "ip=192.168.1.1"], "is not in the private network"),
            // add cluster
            (["add", "cluster"], "must supply an IP address for the frontend"),
            (["add", "cluster", "ip=137.110.119.119"], "must supply the number of compute nodes"),
            (["add", "cluster", "137.110.119.119", "two"], "num-computes must be a whole number from 0 to 10000, not 'two'"),
            (["add", "cluster", "137.110.119.999", "2"], "is not an IPv4 address"),
            (["add", "cluster", "137.110.119.118", "2"], "IP address 137.110.119.118 is already used by frontend-0-0-0/eth1"),
            (["add", "cluster", "192.168.7.7", "2"], "is not in the public network"),
            (["add", "cluster", "137.110.119.255", "2"], "IP address 137.110.119.255 is the public network's broadcast address (137.110.119.0/24)"),
            (["add", "cluster", "137.110.119.0", "2"], "IP address 137.110.119.0 is the public network's own address"),
            (["add", "cluster", "137.110.119.119", "2", "vlan=x"], "vlan must be a whole number from 2 to 4095, not 'x'"),
            (["add", "cluster", "137.110.119.119", "2", "vlan=2"], "Vlan ID (2) is already used by"),
            (["add", "cluster", "137.110.119.119", "2", "vlan=5000"], "vlan must be a whole number from 2 to 4095, not '5000'"),
            (["add", "cluster", "137.110.119.119", "2", "container-hosts=nosuch"], "cannot resolve host \"nosuch\""),
            (["add", "cluster", "137.110.119.119", "2", "fe-name=frontend-0-0-0"], "node \"frontend-0-0-0\" is already in the database"),
            (["add", "cluster", "137.110.119.119", "2", "virt-type=para"], "KVM support only 'hvm' virtualization"),
            (["add", "cluster", "137.110.119.119", "2", "colour=red"], "unknown parameter 'colour'"),
            // set allocation: marks never move the unsafe way
            (["set", "allocation", "last-mac", "76:77:6e:40:00:00"], "last-mac can only move up"),
            (["set", "allocation", "last-mac", "00:14:4f:80:de:00"], "last-mac must be a MAC in this frontend's VM range 76:77:6e:40:00:00–76:77:6e:7f:ff:ff"),
            (["set", "allocation", "private-ip-frontier", "192.168.0.1"], "must be an address in the private network"),
            (["set", "allocation", "colour", "1"], "unknown mark 'colour'"),
            (["set", "allocation", "last-mac", "76:77:6e:40:00:00"], "last-mac can only move up (it is 76:77:6e:40:00:0"),
            (["set", "host", "runaction", "vm-container-0-0", "os; reboot"], "runaction must be a boot action name"),
            // attributes the project reads are checked when set, not when a VM fails to start
            (["set", "host", "attr", "vm-container-0-0", "bridge_forward_delay", "999"], "attribute bridge_forward_delay must be whole seconds from 0 to 30, not '999'"),
            (["set", "host", "attr", "vm-container-0-0", "bridge_stp", "maybe"], "attribute bridge_stp must be on or off"),
            (["set", "host", "attr", "vm-container-0-0", "vm_disk_pool", "../evil"], "attribute vm_disk_pool must be a libvirt storage pool name"),
            (["set", "host", "attr", "vm-container-0-0", "vm_disk_format", "vmdk"], "attribute vm_disk_format must be one of raw, qcow2, not 'vmdk'"),
            (["set", "host", "attr", "vm-container-0-0", "libvirt_uri", "http://example.org/"], "attribute libvirt_uri must be a libvirt URI"),
            (["set", "host", "attr", "vm-container-0-0", "libvirt_uri", "qemu:///session"], "attribute libvirt_uri must be a libvirt URI"),
            (["set", "host", "attr", "vm-container-0-0", "vlan_device", "peth0"], "attribute vlan_device must be a device name template with {vlan}"),
            (["set", "host", "attr", "vm-container-0-0", "vlan_device", "verylongprefix{vlan}"], "giving at most 15 bytes"),
            // owners' keys go to a cluster's VMs, never to a container shared by clusters
            (["add", "host", "key", "vm-container-0-0", "key=\(Fixtures.path("envelope/test-signer.pub"))"], "host vm-container-0-0 is a VM container"),
            // lists
            (["list", "cluster", "vm-container-0-0"], "host vm-container-0-0 is not a frontend"),
            (["list", "host", "nosuchhost"], "cannot resolve host \"nosuchhost\""),
            (["list", "host", "vm", "showdisks=maybe"], "showdisks must be yes or no"),
            (["list", "host", "interface", "output-format=yaml"], "output-format must be one of table, json"),
            (["report", "vm", "nextmac", "extra"], "unexpected argument 'extra'"),
        ]
        for (arguments, fragment) in cases {
            let head = home.head
            expectOneErrorLine(home.run(arguments), fragment)
            #expect(home.head == head, "\(arguments.joined(separator: " ")) appended")
        }
    }

    /// `init` refuses networks no cluster can be built on, before anything is created.
    @Test func initRefusesUnusableNetworks() throws {
        let cases: [([String], String)] = [
            (["public-ip=10.1.2.3"], "the public network 10.1.2.0/24 and the private network 10.1.0.0/16 overlap"),
            (["public-ip=224.0.0.1"], "public-ip 224.0.0.1 is a multicast address"),
            (["public-ip=0.0.0.0"], "public-ip 0.0.0.0 is in 0.0.0.0/8"),
            (["public-ip=255.255.255.255"], "is a reserved or broadcast address"),
            (["public-ip=137.110.119.255"], "IP address 137.110.119.255 is the public network's broadcast address"),
            (["public-ip=137.110.119.117", "private-ip=10.1.255.255"], "IP address 10.1.255.255 is the private network's broadcast address"),
            (["public-ip=137.110.119.117", "private-netmask=255.255.255.255"], "private-netmask 255.255.255.255 leaves no address for hosts"),
        ]
        for (arguments, fragment) in cases {
            let home = RocksHome()
            expectOneErrorLine(home.run(["init", "name=espresso.rocksclusters.org"] + arguments), fragment)
            #expect(!FileManager.default.fileExists(atPath: home.path + "/ledger/data.mdb"), "\(arguments) created a ledger")
        }
    }

    /// A network deployment's `files`, one `sha256sum` line per file, is the one value besides
    /// a PEM that keeps its line breaks; any other control character in it is refused.
    @Test func aDeploymentsFileLinesKeepTheirLineBreaksAndNothingElse() throws {
        let home = try SeedWalkthroughTests.seededHome()
        let admin = try PrivateKey(pem: String(contentsOfFile: home.path + "/keys/admin.pem", encoding: .utf8))
        let frontend = try PrivateKey(pem: String(contentsOfFile: home.path + "/keys/frontend.pem", encoding: .utf8))
        let ledger = try Ledger(directory: home.path + "/ledger", projection: DomainProjection(), frontendKey: frontend)
        let deployment = NetworkDeployment(host: "vm-container-0-0", root: "/", files: [
            .init(path: "/etc/sysconfig/network-scripts/ifcfg-eth0", sha256: String(repeating: "a", count: 64)),
            .init(path: "/etc/sysconfig/network-scripts/ifcfg-peth0", sha256: String(repeating: "b", count: 64)),
        ], links: [])
        func sync(_ args: [String: String]) throws -> Appended {
            try ledger.append(try SignedRequest(signing: RequestEnvelope(op: "sync host network", args: args, signer: admin.publicKey,
                                                                         ledger: ledger.id, now: .now()), with: admin))
        }
        _ = try sync(deployment.requestArguments)
        let recorded = try ledger.read { txn in
            try DomainReader(environment: ledger.environment).networkDeployment(of: "vm-container-0-0", root: "/", in: txn)
        }
        #expect(recorded?.files == deployment.files)

        var carriageReturn = deployment.requestArguments
        carriageReturn["files"] = carriageReturn["files"]!.replacingOccurrences(of: "\n", with: "\r\n")
        let error = #expect(throws: DomainError.self) { try sync(carriageReturn) }
        #expect(error?.message.hasPrefix("parameter 'files' holds a control character") == true)
    }
}
