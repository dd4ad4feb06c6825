import CLibvirt

/// A libvirt failure, with libvirt's own message read in the frame of the failing call.
public struct LibvirtError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libvirt's `virErrorNumber`, e.g. 42 for `VIR_ERR_NO_DOMAIN`.
    public let code: Int32
    public let message: String

    public var description: String { message }

    /// Reads and clears libvirt's last error for this thread. Call right after the failing
    /// call. `context` is evaluated only after the error is read: it may call libvirt (for a
    /// name), and every libvirt call starts by resetting the last error.
    static func last(_ context: @autoclosure () -> String) -> LibvirtError {
        guard let error = virGetLastError() else {
            return LibvirtError(code: -1, message: "\(context()): libvirt gave no reason")
        }
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown libvirt error"
        let code = error.pointee.code
        virResetLastError()
        return LibvirtError(code: code, message: "\(context()): \(message)")
    }
}
