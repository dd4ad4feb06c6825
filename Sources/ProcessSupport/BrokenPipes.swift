#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What this package's executables do about SIGPIPE. Each calls `ignore()` first in its
/// `main` and writes its standard streams with `writeAll(_:to:)`.
///
/// libvirt's ssh transport talks to an `ssh` child through a socket pair. When ssh has already
/// exited (an unreachable container), libvirt's next write there raises SIGPIPE, and the
/// default action ended `rocks` with nothing printed, exit status 141 (issue #22). libvirt
/// leaves that signal to its application, and virsh ignores it too. With SIGPIPE ignored, the
/// write fails with `EPIPE`, the connection fails like any other, and the container is
/// `unknown`.
public enum BrokenPipes {
    /// Makes a write to a pipe or socket that has lost its reader fail with `EPIPE` instead of
    /// killing the process. Call it before any thread or connection exists.
    ///
    /// An ignored signal stays ignored across `exec`. libvirt resets every signal in the
    /// children it forks, and `SystemCommand` resets SIGPIPE in the tools it runs, so those
    /// children still stop when their reader leaves.
    public static func ignore() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes all of `text` to `descriptor`, a standard stream. When the reader has left (`EPIPE`),
    /// the process ends as SIGPIPE's default action would have ended it. So
    /// `rocks list host | head` still stops quietly, as any filter does. Any other failure
    /// (a full disk) is returned as its message; nil when everything was written.
    @discardableResult
    public static func writeAll(_ text: String, to descriptor: Int32) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written >= 0 {
                    offset += written
                    continue
                }
                let error = errno
                if error == EINTR { continue }
                if error == EPIPE { endProcess() }
                return String(cString: strerror(error))
            }
            return nil
        }
    }

    /// Ends the process by SIGPIPE, as the default action would have ended it at the write.
    public static func endProcess() -> Never {
        signal(SIGPIPE, SIG_DFL)
        // A mask inherited from the parent (test runners block signals) would only queue it.
        var pipe = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        pthread_sigmask(SIG_UNBLOCK, &pipe, nil)
        raise(SIGPIPE)
        _exit(128 + SIGPIPE)
    }
}
