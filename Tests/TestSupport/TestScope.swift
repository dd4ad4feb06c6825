import Foundation
import Testing

extension Tag {
    /// Runs as root: network namespaces, bridges, the system libvirtd.
    @Tag public static var root: Self
    /// Talks to the real libvirtd (`qemu:///system`) and starts KVM guests.
    @Tag public static var libvirt: Self
    /// Takes tens of seconds or more: thousands of random histories, kill -9 loops.
    @Tag public static var slow: Self
}

/// Which tests a run takes: all of them (the README's test command, and CI), or with
/// `ROCKS_TESTS=fast` only those that need no root, no libvirtd and little time.
public enum TestScope {
    public static let fast = ProcessInfo.processInfo.environment["ROCKS_TESTS"] == "fast"
}

extension Trait where Self == ConditionTrait {
    /// Left out of a fast run (`ROCKS_TESTS=fast`): give it beside the tags that say why.
    public static var notInFastRuns: Self { .enabled(if: !TestScope.fast, "ROCKS_TESTS=fast leaves it out") }
}
