import CLibvirt
import Foundation

/// libvirt's default event loop, run on a thread of its own. Keepalive on remote
/// connections needs it: without a loop running, libvirt cannot notice a dead peer, and a
/// call on a connection to an unplugged container would wait for TCP to give up.
enum LibvirtEventLoop {
    private static let started: Bool = {
        guard virEventRegisterDefaultImpl() == 0 else { return false }
        let thread = Thread {
            while true { _ = virEventRunDefaultImpl() }
        }
        thread.name = "libvirt-events"
        thread.start()
        return true
    }()

    /// Registers and starts the loop once per process; later calls do nothing.
    @discardableResult
    static func start() -> Bool { started }
}
