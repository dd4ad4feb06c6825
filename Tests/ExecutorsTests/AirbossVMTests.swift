import Foundation
import Testing
import TestSupport

/// An owner drives real KVM guests through a real Airboss: `pilot` and `rocks` over TLS on
/// loopback, the Airboss's own executor starting and stopping the domains in libvirtd. In the
/// one serialized suite of real-VM tests, which all use the seed cluster's names.
extension LibvirtVMTests {
    @Test func anOwnerPowersTheirComputesAndTheVMsReallyChangeState() throws {
        let cluster = try RealCluster()
        let airboss = try AirbossHarness(home: cluster.home, executor: "auto")
        defer { airboss.stop() }
        let owner = try airboss.ownerKey("owner")
        try cluster.run("add", "host", "key", "frontend-0-0-0", "key=\(try cluster.home.write(owner.pem, "owner.pub"))")
        let computes = try cluster.vms().filter { $0 != "frontend-0-0-0" }
        #expect(computes.count == 2)

        // One signed request reaches every compute, never the frontend.
        let on = try airboss.pilot("set", "cluster", "power", "host=frontend-0-0-0", "key=\(owner.path)", "action=on", "delay=0.3")
        #expect(on.status == 0, "\(on.stderr)")
        for vm in computes { #expect(RealCluster.state(vm) == "running", "\(vm)") }
        #expect(RealCluster.state("frontend-0-0-0") != "running")

        // rocks, by MAC: the compute stops.
        let mac = try #require(try cluster.home.read { reader, txn in try reader.interfaces(of: computes[0], in: txn).compactMap(\.mac).first })
        let off = try AirbossHarness.rocks(cluster.home, ["set", "host", "power", mac.description.uppercased(), "action=off", "key=\(owner.path)",
                                                          "airboss=\(airboss.address)"], user: airboss.user.path)
        #expect(off.status == 0 && off.stdout.contains("\(computes[0]): off done, now off"), "\(off.stderr)")
        #expect(RealCluster.state(computes[0]) == "shut off")

        // install: network boot first, then started.
        let install = try airboss.pilot("set", "host", "power", "host=\(computes[0])", "key=\(owner.path)", "action=install")
        #expect(install.status == 0, "\(install.stderr)")
        #expect(RealCluster.state(computes[0]) == "running")
        let xml = try RealCluster.virsh("dumpxml", computes[0])
        let network = try #require(xml.range(of: "<boot dev='network'/>")), disk = try #require(xml.range(of: "<boot dev='hd'/>"))
        #expect(network.lowerBound < disk.lowerBound)

        // The cluster's MACs with what libvirt says each VM is doing.
        let listed = try airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner.path)", "status=yes")
        #expect(listed.status == 0 && listed.stdout.contains("\(mac) on \(computes[0])\n"), "\(listed.stdout) \(listed.stderr)")

        // Every answer's receipt verifies offline, and the whole history does.
        let receipts = try FileManager.default.contentsOfDirectory(atPath: airboss.user.path + "/receipts")
        #expect(receipts.count == 4)
        for receipt in receipts {
            let verified = try airboss.pilot("verify", "receipt=\(airboss.user.path)/receipts/\(receipt)")
            #expect(verified.status == 0, "\(verified.stderr)")
        }
        #expect(cluster.home.run("ledger", "verify").status == 0)
    }
}
