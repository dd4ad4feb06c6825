import CLI
import Testing
import TestSupport

/// Rocks' global output parameters on every list: `output-header=no` drops the header line,
/// `output-col=` chooses and orders the columns (or, with JSON, the fields kept).
@Suite struct ListOutputTests {
    @Test func headerAndColumnsAreChosenOnEveryList() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "1").status == 0)
        let interfaces = home.run("list", "host", "interface", "vm-container-0-0", "output-col=mac,iface", "output-header=no")
        #expect(interfaces.stdout == "00:14:4f:80:de:00 eth0 \n----------------- vlan2\n", "\(interfaces.stdout)\(interfaces.stderr)")
        let hosts = home.run("list", "host", "output-col=cpus,host", "output-format=json")
        #expect(hosts.stdout.hasPrefix("[{\"cpus\":1,\"host\":\"espresso\"},{\"cpus\":1,\"host\":\"vm-container-0-0\"}"), "\(hosts.stdout)")
        let vms = home.run("list", "host", "vm", "frontend-0-0-0", "output-col=mac")
        #expect(vms.stdout == "MAC              \n76:77:6e:40:00:00\n76:77:6e:40:00:01\n", "\(vms.stdout)")
        for list in [["list", "host"], ["list", "host", "vm"], ["list", "host", "interface"], ["list", "host", "attr"], ["list", "host", "key"], ["list", "cluster"]] {
            let all = home.run(list)
            let bare = home.run(list + ["output-header=no"])
            #expect(bare.status == 0, "\(list): \(bare.stderr)")
            #expect(all.stdout.split(separator: "\n").dropFirst() == bare.stdout.split(separator: "\n")[...], "\(list)")
            expectOneErrorLine(home.run(list + ["output-col=nosuch"]), "output-col: no")
        }
        expectOneErrorLine(home.run("list", "host", "output-col=nope"), "output-col: no column 'nope' (columns: host, membership, cpus, rack, rank, runaction, installaction)")
        expectOneErrorLine(home.run("list", "host", "output-header=maybe"), "output-header must be yes or no")
    }
}
