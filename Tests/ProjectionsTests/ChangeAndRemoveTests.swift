import CLI
import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// `set …` and `remove …`: desired state changes, removals that wait for their effects, and
/// outcomes (signed by the frontend key) that free what a removal held.
@Suite struct ChangeAndRemoveTests {
    private func json(_ home: RocksHome, _ arguments: String...) throws -> [JSONValue] {
        let result = home.run(arguments + ["output-format=json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try CanonicalJSON.decode(Array(result.stdout.dropLast().utf8)).arrayValue)
    }

    @Test func changesAreRecordedAsDesiredState() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "2").status == 0)
        #expect(home.run("set", "host", "vm", "hosted-vm-0-0-0", "mem=4096", "disksize=100", "physnode=vm-container-0-1").status == 0)
        #expect(home.run("set", "host", "cpus", "hosted-vm-0-0-0", "4").status == 0)
        #expect(home.run("set", "host", "boot", "frontend-0-0-0", "action=os").status == 0)
        #expect(home.run("set", "host", "attr", "vm-container-0-0", "libvirt_uri", "qemu+tcp://127.0.0.1/system").status == 0)
        #expect(home.run("set", "host", "interface", "module", "vm-container-0-0", "eth0", "e1000e").status == 0)
        let vm = try #require(try json(home, "list", "host", "vm", "hosted-vm-0-0-0").first)
        #expect(vm["mem"] == 4096 && vm["cpus"] == 4 && vm["container"] == "vm-container-0-1" && vm["slice"] == 1)
        #expect(vm["disks"]?.arrayValue?.first?["size"] == 100)
        // Moved, the VM takes its new container's rack and rank, as when it was created there.
        let moved = try #require(try json(home, "list", "host", "hosted-vm-0-0-0").first)
        #expect(moved["rack"] == 0 && moved["rank"] == 1, "\(moved)")
        #expect(try json(home, "list", "host", "frontend-0-0-0").first?["boot"] == "os")
        #expect(try json(home, "list", "host", "attr", "vm-container-0-0").first?["value"] == "qemu+tcp://127.0.0.1/system")
        #expect(try json(home, "list", "host", "interface", "vm-container-0-0").first?["module"] == "e1000e")
        #expect(home.run("remove", "host", "attr", "vm-container-0-0", "libvirt_uri").status == 0)
        #expect(try json(home, "list", "host", "attr").isEmpty)
    }

    /// `set host vm` writes a new version only of what it changes: `mem=` adds one of the VM
    /// and none of its host or slice, and asking for what is already so adds nothing.
    @Test func settingAVMWritesVersionsOnlyOfWhatChanged() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute").status == 0)
        func storedVersions() throws -> [String: Int] {
            let ledger = try Ledger(directory: home.path + "/ledger", projection: DomainProjection())
            return try ledger.read { txn in
                try Dictionary(uniqueKeysWithValues: ["hosts", "vms", "container-slices"].map {
                    ($0, try txn.count(ledger.environment.database($0)))
                })
            }
        }
        let before = try storedVersions()
        #expect(home.run("set", "host", "vm", "compute-0-0-0", "mem=2048").status == 0)
        let changed = try storedVersions()
        #expect(changed == ["hosts": before["hosts"]!, "vms": before["vms"]! + 1, "container-slices": before["container-slices"]!])
        #expect(home.run("set", "host", "vm", "compute-0-0-0", "mem=2048").status == 0)
        #expect(try storedVersions() == changed)
        #expect(try json(home, "list", "host", "vm", "compute-0-0-0").first?["mem"] == 2048)
    }

    @Test func aRemovedVMKeepsItsNameAndMACsUntilItsEffectsSucceed() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute").status == 0)
        let removed = home.run("remove", "host", "vm", "compute-0-0-0", "delete-disks=yes", "async=yes")
        #expect(removed.stdout.contains("3 effect(s) pending"))
        #expect(try json(home, "list", "host", "vm").isEmpty)
        expectOneErrorLine(home.run("remove", "host", "vm", "compute-0-0-0"), "already being removed (record 5)")
        expectOneErrorLine(home.run("add", "host", "vm", "vm-container-0-0", "compute", "name=compute-0-0-0"), "already in the database")
        // Still reserved: the next VM gets the next slice and MAC, not the removed ones.
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute").stdout.contains("compute-0-0-1"))
        try home.succeedPendingEffects()
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute", "name=compute-0-0-0", "slice=0").status == 0)
        let macs = try json(home, "list", "host", "vm").compactMap { $0["macs"]?.arrayValue?.first?.stringValue }
        // MACs are never reused, even once freed.
        #expect(macs == ["76:77:6e:40:00:01", "76:77:6e:40:00:02"])
    }

    @Test func removingAClusterStopsEveryVMAndFreesTheVLANAfterwards() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "2").status == 0)
        let removed = home.run("remove", "cluster", "frontend-0-0-0", "async=yes")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("6 effect(s) pending"))
        #expect(try json(home, "list", "cluster").count == 1)
        #expect(home.run("add", "cluster", "137.110.119.119", "0").status == 0)
        #expect(try json(home, "list", "cluster").last?["vlan"] == 3)
        try home.succeedPendingEffects()
        let interfaces = try json(home, "list", "host", "interface", "vm-container-0-0")
        #expect(interfaces.map { $0["iface"]?.stringValue } == ["eth0"])
        #expect(home.run("add", "cluster", "137.110.119.118", "1").status == 0)
        #expect(try json(home, "list", "cluster").compactMap { $0["vlan"]?.integerValue } == [3, 2])
    }

    @Test func aFailedEffectKeepsItsRemovalAndTakesNoSecondOutcome() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute").status == 0)
        #expect(home.run("remove", "host", "vm", "compute-0-0-0", "async=yes").status == 0)
        let frontend = try PrivateKey(pem: String(contentsOfFile: home.path + "/keys/frontend.pem", encoding: .utf8))
        let ledger = try Ledger(directory: home.path + "/ledger", projection: DomainProjection(), frontendKey: frontend)
        func outcome(_ status: String) throws -> SignedRequest {
            try SignedRequest(signing: RequestEnvelope(op: "record outcome", args: ["effect": "00000000000000000005/0000", "status": status],
                                                       signer: frontend.publicKey, ledger: ledger.id, now: .now()), with: frontend)
        }
        _ = try ledger.append(try outcome("attempt"))
        _ = try ledger.append(try outcome("failed"))
        let error = #expect(throws: DomainError.self) { try ledger.append(try outcome("succeeded")) }
        #expect(error?.message.contains("already has its final outcome (failed)") == true)
        let effect = try ledger.read { txn in try DomainReader(environment: ledger.environment).effects(in: txn) }.first
        #expect(effect?.status == .failed && effect?.attempts == 2)
        // The failed removal keeps the name reserved.
        expectOneErrorLine(home.run("add", "host", "vm", "vm-container-0-0", "compute", "name=compute-0-0-0"), "already in the database")
    }

    @Test func anEffectHasExactlyOneFinalOutcome() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "compute").status == 0)
        #expect(home.run("remove", "host", "vm", "compute-0-0-0").status == 0)
        try home.succeedPendingEffects()
        let frontend = try PrivateKey(pem: String(contentsOfFile: home.path + "/keys/frontend.pem", encoding: .utf8))
        let ledger = try Ledger(directory: home.path + "/ledger", projection: DomainProjection(), frontendKey: frontend)
        let again = RequestEnvelope(op: "record outcome", args: ["effect": "00000000000000000005/0000", "status": "failed"],
                                    signer: frontend.publicKey, ledger: ledger.id, now: .now())
        let error = #expect(throws: DomainError.self) { try ledger.append(try SignedRequest(signing: again, with: frontend)) }
        #expect(error?.message.contains("no pending effect 00000000000000000005/0000") == true)
        // Outcomes are the frontend key's to sign: the admin key is refused (recorded as denied).
        let admin = try PrivateKey(pem: String(contentsOfFile: home.path + "/keys/admin.pem", encoding: .utf8))
        let forged = RequestEnvelope(op: "record outcome", args: ["effect": "00000000000000000005/0000", "status": "succeeded"],
                                     signer: admin.publicKey, ledger: ledger.id, now: .now())
        #expect(try ledger.append(try SignedRequest(signing: forged, with: admin)).denial != nil)
    }

    @Test func removalsRefuseWhatTheyCannotRemove() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "2").status == 0)
        let cases: [([String], String)] = [
            (["remove", "cluster", "vm-container-0-0"], "host vm-container-0-0 is not a frontend"),
            (["remove", "cluster", "espresso"], "host espresso is not a virtual frontend"),
            (["remove", "cluster"], "must supply at least one frontend name"),
            (["remove", "host", "vm", "vm-container-0-0"], "host vm-container-0-0 is not a VM"),
            (["remove", "host", "vm", "frontend-0-0-0"], "is a virtual frontend: remove it with 'rocks remove cluster frontend-0-0-0'"),
            (["remove", "host", "vm-container-0-0"], "still holds VMs (hosted-vm-0-0-0)"),
            (["remove", "host", "espresso"], "is the physical frontend and cannot be removed"),
            (["remove", "host", "interface", "hosted-vm-0-0-0", "eth0"], "is a VM: its interfaces go with it"),
            (["remove", "host", "interface", "vm-container-0-0", "eth7"], "interface \"eth7\" doesn't exist on host vm-container-0-0"),
            // A container keeps the VLAN its VMs use, under its own name or a changed number.
            (["remove", "host", "interface", "vm-container-0-0", "vlan2"], "VLAN 2 on vm-container-0-0 (vlan2) is used by its VMs hosted-vm-0-0-0; move or remove them first"),
            (["set", "host", "interface", "vlan", "vm-container-0-1", "vlan2", "none"], "interface vlan2 carries VLAN 2; remove the interface rather than clear its VLAN"),
            (["set", "host", "interface", "vlan", "vm-container-0-1", "vlan2", "3"], "interface vlan2 carries VLAN 2, not 3"),
            (["remove", "host", "attr", "vm-container-0-0", "nothing"], "attribute \"nothing\" doesn't exist"),
            (["set", "host", "vm", "vm-container-0-0", "mem=1"], "host vm-container-0-0 is not a VM"),
            (["set", "host", "vm", "hosted-vm-0-0-0", "mem=lots"], "mem must be a whole number of MiB from 1 to 4194304, not 'lots'"),
            (["set", "host", "vm", "hosted-vm-0-0-0", "physnode=nowhere"], "cannot resolve host \"nowhere\""),
            (["set", "host", "vm", "hosted-vm-0-0-0", "slice=0", "physnode=vm-container-0-1"], "slice 0 is already used on vm-container-0-1"),
            (["set", "host", "vm", "hosted-vm-0-0-0", "disk=nopool"], "invalid disk specification"),
            (["set", "host", "cpus", "vm-container-0-0", "zero"], "cpus must be a whole number from 1 to 1024, not 'zero'"),
            (["set", "host", "boot", "vm-container-0-0", "action=reboot"], "action must be install or os"),
            (["set", "host", "interface", "mac", "vm-container-0-0", "eth0", "76:77:6e:40:00:00"], "is already used by frontend-0-0-0/eth0"),
            (["set", "host", "interface", "subnet", "vm-container-0-0", "eth0", "dmz"], "could not get subnet id"),
        ]
        for (arguments, fragment) in cases {
            let head = home.head
            expectOneErrorLine(home.run(arguments), fragment)
            #expect(home.head == head, "\(arguments.joined(separator: " ")) appended")
        }
        #expect(home.run("remove", "host", "vm", "hosted-vm-0-0-0", "async=yes").status == 0)
        expectOneErrorLine(home.run("remove", "host", "hosted-vm-0-0-0"), "already being removed")
    }
}
