import CLI
import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// `report host interface` and `sync host network`: the containers' bridges and VLAN devices,
/// generated from the views, written and recorded, and applied with iproute2 inside network
/// namespaces the tests create.
@Suite(.tags(.root), .notInFastRuns) struct NetworkSyncTests {
    static let hosts = ["espresso", "vm-container-0-0", "vm-container-0-1"]

    private static func seededWithOneCluster() throws -> RocksHome {
        let home = try RocksHome.seeded()
        let added = home.run("add", "cluster", "ip=137.110.119.118", "num-computes=2")
        #expect(added.status == 0, "\(added.stderr)")
        return home
    }

    @Test(arguments: [1, 2])
    func reportsMatchTheGoldenFiles(clusters: Int) throws {
        let home = try Self.seededWithOneCluster()
        if clusters == 2 {
            #expect(home.run("add", "cluster", "ip=137.110.119.119", "num-computes=2").status == 0)
        }
        for host in Self.hosts {
            for format in ["ifcfg", "iproute2"] {
                let result = home.run("report", "host", "interface", host, "format=\(format)")
                #expect(result.status == 0, "\(result.stderr)")
                let golden = "network/\(clusters == 1 ? "one-cluster" : "two-clusters")/\(host).\(format)"
                #expect(try Fixtures.matchesGolden(result.stdout, golden), "\(golden) differs:\n\(result.stdout)")
            }
        }
    }

    @Test func hostAttributesTuneTheBridgesAndNameTheVLANDevices() throws {
        let home = try Self.seededWithOneCluster()
        for (attr, value) in [("bridge_stp", "on"), ("bridge_forward_delay", "2"), ("bridge_tx_checksum", "off"), ("vlan_device", "vlan{vlan}")] {
            #expect(home.run("set", "host", "attr", "vm-container-0-0", attr, value).status == 0)
        }
        let files = home.run("report", "host", "interface", "vm-container-0-0").stdout
        #expect(files.contains("STP=on\nDELAY=2\nETHTOOL_OPTS=\"-K ${DEVICE} tx off\"\n"))
        #expect(files.contains("<file name=\"/etc/sysconfig/network-scripts/ifcfg-vlan2\">\nDEVICE=vlan2\nPHYSDEV=peth0\nVLAN=yes\nVLAN_ID=2\n"))
        let script = home.run("report", "host", "interface", "vm-container-0-0", "format=iproute2").stdout
        // The delay before STP goes on: the kernel refuses a delay under 2 s while STP is on.
        #expect(script.contains("ip link set dev eth0 type bridge forward_delay 200\nip link set dev eth0 type bridge stp_state 1\n"))
        #expect(script.contains("ethtool -K eth0 tx off\n"))
        #expect(script.contains("ip link add link peth0 name vlan2 type vlan id 2\n"))

        // A value the bridge cannot take is refused when it is set, and nothing is recorded.
        expectOneErrorLine(home.run("set", "host", "attr", "vm-container-0-0", "bridge_stp", "maybe"), "bridge_stp must be on or off")
        #expect(home.run("report", "host", "interface", "vm-container-0-0").stdout == files)
    }

    @Test func syncBuildsTheBridgesInANamespaceAndASecondRunChangesNothing() throws {
        let home = try Self.seededWithOneCluster()
        let namespace = try NetworkNamespace.seedContainer()
        let root = TemporaryDirectory("network-root")

        let first = try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("vm-container-0-0: ip link add name eth0 type bridge\n"))

        let bridge = try namespace.ip("-d", "link", "show", "eth0")
        #expect(bridge.contains("bridge forward_delay 0 ") && bridge.contains("stp_state 0 ") && bridge.contains(",UP"))
        let ports = try namespace.ip("-br", "addr", "show", "eth0")
        #expect(ports.contains("10.1.255.254/16"))
        let enslaved = try ProcessRunner.run("/usr/sbin/bridge", ["-n", namespace.name, "link", "show"]).stdout
        #expect(enslaved.contains("peth0@wire0: ") && enslaved.contains("master eth0"))
        #expect(try namespace.ip("link", "show", "peth0.2").contains("NOARP,UP"))

        // The files under root are the golden ones, and the ledger holds their hashes.
        let golden = try Fixtures.text("network/one-cluster/vm-container-0-0.ifcfg")
        let blocks = golden.components(separatedBy: "</file>\n").filter { !$0.isEmpty }
        #expect(blocks.count == 3)
        for block in blocks {
            let header = try #require(block.split(separator: "\n", maxSplits: 1).first)
            let path = String(header.dropFirst("<file name=\"".count).dropLast(2))
            let contents = String(block.dropFirst(header.count + 1))
            #expect(try String(contentsOfFile: root.path + path, encoding: .utf8) == contents)
            let deployment = try #require(try deployment(home, "vm-container-0-0", root.path))
            #expect(deployment.files.contains(.init(path: path, sha256: Hex.encode(SHA256.hash(Array(contents.utf8))))))
        }

        // Without -d: the bridge's timers tick between two reads.
        let linksBefore = try namespace.ip("-o", "link", "show")
        let headBefore = home.head
        let second = try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == "vm-container-0-0: links already match\n")
        #expect(try namespace.ip("-o", "link", "show") == linksBefore, "same links, indexes, flags, masters")
        #expect(home.head == headBefore, "an unchanged deployment appends nothing")

        // Traffic crosses the bridge: a peer namespace on the wire reaches the container's address.
        let peer = try NetworkNamespace()
        try namespace.ip("link", "set", "wire0", "netns", peer.name)
        try peer.ip("addr", "add", "10.1.1.1/16", "dev", "wire0")
        try peer.ip("link", "set", "wire0", "up")
        let ping = try ProcessRunner.run("/usr/sbin/ip", ["netns", "exec", peer.name, "ping", "-c", "1", "-W", "5", "10.1.255.254"])
        #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
    }

    @Test func removingTheClusterRemovesItsVLANDeviceAndFileAtTheNextSync() throws {
        let home = try Self.seededWithOneCluster()
        let namespace = try NetworkNamespace.seedContainer()
        let root = TemporaryDirectory("network-root")
        let vlanFile = root.path + "/etc/sysconfig/network-scripts/ifcfg-peth0.2"
        #expect(try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes").status == 0)
        #expect(FileManager.default.fileExists(atPath: vlanFile))

        // The removal's effects run at once (against libvirt's test driver, where the VMs never were).
        #expect(home.run("remove", "cluster", "frontend-0-0-0").status == 0)
        // Without apply=yes the file goes and the device stays, still listed for removal.
        let filesOnly = try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)")
        #expect(filesOnly.status == 0 && filesOnly.stdout.contains("vm-container-0-0: removed \(vlanFile)\n"), "\(filesOnly.stderr)")
        #expect(try namespace.ip("-br", "link", "show").contains("peth0.2"))
        #expect(try deployment(home, "vm-container-0-0", root.path)?.links == ["peth0.2"])
        let after = try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes")
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("vm-container-0-0: ip link del dev peth0.2\n"))
        #expect(!FileManager.default.fileExists(atPath: vlanFile))
        #expect(!(try namespace.ip("-br", "link", "show")).contains("peth0.2"))
        #expect(try namespace.ip("-br", "link", "show", "eth0").contains("UP"), "the bridge stays up")
        #expect(try deployment(home, "vm-container-0-0", root.path)?.links == [])
    }

    @Test func theIproute2ScriptBuildsTheSameTopologyAndCanRunTwice() throws {
        let home = try Self.seededWithOneCluster()
        let namespace = try NetworkNamespace.seedContainer()
        let script = home.directory.file("network.sh")
        try home.run("report", "host", "interface", "vm-container-0-0", "format=iproute2").stdout.write(toFile: script, atomically: true, encoding: .utf8)
        for run in 1...2 {
            let result = try ProcessRunner.run("/usr/sbin/ip", ["netns", "exec", namespace.name, "/bin/sh", script])
            #expect(result.status == 0, "run \(run): \(result.stderr)")
        }
        let bridge = try namespace.ip("-d", "link", "show", "eth0")
        #expect(bridge.contains("bridge forward_delay 0 ") && bridge.contains("stp_state 0 ") && bridge.contains(",UP"))
        #expect(try namespace.ip("-br", "addr", "show", "eth0").contains("10.1.255.254/16"))
        #expect(try namespace.ip("link", "show", "peth0").contains("master eth0"))
        #expect(try namespace.ip("link", "show", "peth0.2").contains("NOARP,UP"))
    }

    @Test func spanningTreeTurnsOnAndOffOnALiveBridge() throws {
        let home = try Self.seededWithOneCluster()
        let namespace = try NetworkNamespace.seedContainer()
        let root = TemporaryDirectory("network-root")
        func sync() throws -> String {
            let result = try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes")
            #expect(result.status == 0, "\(result.stderr)")
            return try namespace.ip("-d", "link", "show", "eth0")
        }
        #expect(try sync().contains("forward_delay 0 ") )
        #expect(home.run("set", "host", "attr", "vm-container-0-0", "bridge_stp", "on").status == 0)
        let on = try sync()
        #expect(on.contains("forward_delay 1500 ") && on.contains("stp_state 1 "), "\(on)")
        // Off again, delay 0: the kernel takes it only once STP is off.
        #expect(home.run("set", "host", "attr", "vm-container-0-0", "bridge_stp", "off").status == 0)
        let off = try sync()
        #expect(off.contains("forward_delay 0 ") && off.contains("stp_state 0 "), "\(off)")
        // Known issue 3's setting: the bridge's transmit checksum offload goes off, once.
        #expect(home.run("set", "host", "attr", "vm-container-0-0", "bridge_tx_checksum", "off").status == 0)
        _ = try sync()
        let features = try ProcessRunner.run("/usr/sbin/ip", ["netns", "exec", namespace.name, "/usr/sbin/ethtool", "-k", "eth0"]).stdout
        #expect(features.contains("tx-checksumming: off"), "\(features)")
        let again = try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes")
        #expect(again.stdout.hasSuffix("links already match\n"), "\(again.stdout)")
        #expect(home.run("set", "host", "attr", "vm-container-0-0", "bridge_stp", "on").status == 0)
        expectOneErrorLine(home.run("set", "host", "attr", "vm-container-0-0", "bridge_forward_delay", "1"), "from 2 to 30 with STP on")
    }

    @Test func severalHostsAreStagedEachUnderItsOwnDirectory() throws {
        let home = try Self.seededWithOneCluster()
        let root = TemporaryDirectory("network-root")
        let result = home.run("sync", "host", "network", "vm-container-0-0", "vm-container-0-1", "root=\(root.path)")
        #expect(result.status == 0, "\(result.stderr)")
        for host in ["vm-container-0-0", "vm-container-0-1"] {
            let golden = try Fixtures.text("network/one-cluster/\(host).ifcfg")
            let written = try String(contentsOfFile: root.path + "/\(host)/etc/sysconfig/network-scripts/ifcfg-eth0", encoding: .utf8)
            #expect(golden.contains("ifcfg-eth0\">\n" + written))
            #expect(try deployment(home, host, root.path + "/\(host)")?.files.count == 3)
        }
        expectOneErrorLine(home.run("sync", "host", "network", "vm-container-0-0", "vm-container-0-1"), "several hosts need root=")
        expectOneErrorLine(home.run("sync", "host", "network", "vm-container-0-0", "vm-container-0-1", "root=\(root.path)", "apply=yes"),
                           "several hosts need root=")
    }

    @Test func badInputWritesNothingAndAppendsNothing() throws {
        let home = try Self.seededWithOneCluster()
        let root = TemporaryDirectory("network-root")
        let head = home.head
        expectOneErrorLine(home.run("sync", "host", "network", "nosuchhost", "root=\(root.path)"), "nosuchhost")
        expectOneErrorLine(home.run("sync", "host", "network", "hosted-vm-0-0-0", "root=\(root.path)"), "is not a VM container or physical frontend")
        expectOneErrorLine(home.run("report", "host", "interface", "frontend-0-0-0"), "is not a VM container or physical frontend")
        expectOneErrorLine(home.run("report", "host", "interface", "vm-container-0-0", "format=nmcli"), "format")
        expectOneErrorLine(home.run("sync", "host", "network", "vm-container-0-0", "root=relative/dir"), "absolute")

        let readOnly = root.file("read-only")
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
        // root ignores permissions: a directory on a read-only bind mount is the honest test,
        // so make one inside a private mount namespace.
        let unwritable = try ProcessRunner.run("/usr/bin/unshare", ["-m", "sh", "-c",
            "mount --bind -o ro \(readOnly) \(readOnly) && exec \(ProcessRunner.product("rocks")) sync host network vm-container-0-0 root=\(readOnly)"],
            environment: home.environment)
        #expect(unwritable.status == 1 && unwritable.stdout.isEmpty)
        #expect(unwritable.stderr.hasPrefix("error - root \(readOnly) is not writable"), "\(unwritable.stderr)")

        // A missing NIC is found before any file is written.
        let namespace = try NetworkNamespace()
        let missing = try namespace.rocks(home, "sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes")
        #expect(missing.status == 1 && missing.stderr.contains("has no link named peth0 (the NIC with MAC 00:14:4f:80:de:00)"))
        #expect(!FileManager.default.fileExists(atPath: root.path + "/etc"))
        #expect(home.head == head)
    }

    private func deployment(_ home: RocksHome, _ host: String, _ root: String) throws -> NetworkDeployment? {
        try home.read { reader, txn in try reader.networkDeployment(of: host, root: root, in: txn) }
    }
}
