import Executors
import Testing

/// The libvirt wrapper against libvirt's in-process test driver.
@Suite struct HypervisorConnectionTests {
    @Test func listsTheTestDriversDomains() throws {
        let connection = try HypervisorConnection(uri: "test:///default")
        #expect(try connection.domainNames() == ["test"])
        #expect(try connection.hypervisorVersion().split(separator: ".").count == 3)
    }

    @Test func aBadURIFailsWithLibvirtsOwnMessage() {
        let error = #expect(throws: LibvirtError.self) { try HypervisorConnection(uri: "nonsense:///nowhere") }
        #expect(error?.message.contains("nonsense:///nowhere") == true)
    }
}
