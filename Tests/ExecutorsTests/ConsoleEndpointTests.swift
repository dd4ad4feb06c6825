import Executors
import Testing

/// Where a console is reached from, read from a container's libvirt URI and a running
/// domain's XML, without a VM.
@Suite struct ConsoleEndpointTests {
    @Test func theSocketIsReadFromTheLiveXMLAndNeverATCPPort() {
        let live = """
            <graphics type='vnc' socket='/var/lib/libvirt/qemu/domain-7-hosted-vm-0-0-0/vnc.sock'>
              <listen type='socket' socket='/var/lib/libvirt/qemu/domain-7-hosted-vm-0-0-0/vnc.sock'/>
            </graphics>
            """
        #expect(ConsoleEndpoint.socket(inLiveXML: live) == "/var/lib/libvirt/qemu/domain-7-hosted-vm-0-0-0/vnc.sock")
        let tcp = "<graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'>"
        #expect(ConsoleEndpoint.socket(inLiveXML: tcp) == nil)
        #expect(ConsoleEndpoint.socket(inLiveXML: "<graphics type='vnc' socket='relative.sock'>") == nil)
    }

    @Test func localContainersAreOpenedDirectlySSHContainersThroughSocatAndTCPNever() throws {
        #expect(try ConsoleEndpoint.route("qemu:///system") == .local)
        #expect(try ConsoleEndpoint.route("test:///default") == .local)
        let ssh = try ConsoleEndpoint.route("qemu+ssh://root@10.1.255.253:2222/system?keyfile=/root/.ssh/id&no_verify=1&command=/usr/bin/ssh")
        guard case .ssh(let destination) = ssh else {
            Issue.record("\(ssh)")
            return
        }
        #expect(destination.arguments(connectingTo: "/var/lib/libvirt/qemu/d/vnc.sock") == [
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-e", "none", "-T", "-p", "2222", "-i", "/root/.ssh/id",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "root@10.1.255.253",
            "socat", "STDIO", "UNIX-CONNECT:/var/lib/libvirt/qemu/d/vnc.sock",
        ])
        #expect(destination.command == "/usr/bin/ssh")
        if case .ssh(let destination) = try ConsoleEndpoint.route("qemu+ssh://vm-container-0-1/system") {
            #expect(destination.arguments(connectingTo: "/s").suffix(4) == ["vm-container-0-1", "socat", "STDIO", "UNIX-CONNECT:/s"])
            #expect(destination.verifyHostKey)
        } else {
            Issue.record("qemu+ssh:// is not reached through ssh")
        }
        for uri in ["qemu+tcp://vm-container-0-1/system", "qemu+tls://vm-container-0-1/system"] {
            #expect {
                _ = try ConsoleEndpoint.route(uri)
            } throws: { error in
                "\(error)".contains("consoles need ssh to the container")
            }
        }
    }
}
