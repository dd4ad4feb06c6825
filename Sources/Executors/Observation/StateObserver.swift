import Foundation
import Ledger
import Projections

/// What a VM is doing, as its container says, or `unknown` when the container did not answer
/// in time. `unknown` is never `off`: a container that cannot be reached may be running
/// every one of its VMs, and nothing is ever done on the strength of a guess.
public enum ObservedPower: String, Sendable {
    case on, off, paused, unknown

    init(_ state: Domain.State?) {
        switch state {
        case .running: self = .on
        case .paused: self = .paused
        // Defined but not running, or not defined at all: either way, not running.
        case .shutoff, .none: self = .off
        case .other: self = .unknown
        }
    }
}

/// A VM to observe: the ledger's UUID for it and the libvirt URI of its container.
public struct ObservationTarget: Sendable {
    public let vm: String
    public let uuid: String
    public let container: String
    public let uri: String

    public init(vm: String, uuid: String, container: String, uri: String) {
        self.vm = vm
        self.uuid = uuid
        self.container = container
        self.uri = uri
    }
}

/// Asks every container at once what its domains are doing, each within one deadline.
public struct StateObserver: Sendable {
    /// Seconds a container has to answer, connecting included.
    public var deadline: Double

    public init(deadline: Double = 5) {
        self.deadline = deadline
    }

    /// The observed power of each target's VM, by VM name. Containers are queried in
    /// parallel; a container still silent at the deadline makes its VMs `unknown` (its
    /// query is abandoned, not awaited).
    public func observe(_ targets: [ObservationTarget]) -> [String: ObservedPower] {
        let uris = Array(Set(targets.map(\.uri))).sorted()
        let answers = Answers()
        let group = DispatchGroup()
        let deadline = self.deadline
        for uri in uris {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                guard let connection = try? HypervisorConnection(uri: uri, timeout: deadline),
                      let states = try? connection.domainStates() else { return }
                answers.set(uri, states)
            }
            thread.name = "observe \(uri)"
            thread.start()
        }
        _ = group.wait(timeout: .now() + deadline)
        let answered = answers.snapshot()
        var observed: [String: ObservedPower] = [:]
        for target in targets {
            guard let states = answered[target.uri] else {
                observed[target.vm] = .unknown
                continue
            }
            observed[target.vm] = ObservedPower(states[target.uuid])
        }
        return observed
    }

    /// The answers that arrived, guarded: late threads may still write after the deadline.
    private final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var states: [String: [String: Domain.State]] = [:]

        func set(_ uri: String, _ value: [String: Domain.State]) {
            lock.lock()
            defer { lock.unlock() }
            states[uri] = value
        }

        func snapshot() -> [String: [String: Domain.State]] {
            lock.lock()
            defer { lock.unlock() }
            return states
        }
    }
}

extension ObservationTarget {
    /// Targets for `vms` (names the views know), with each container's libvirt URI.
    public static func read(_ vms: [VirtualMachine], reader: DomainReader, defaultURI: String?,
                            in txn: borrowing Transaction) throws -> [ObservationTarget]
    {
        var uris: [String: String] = [:]
        var targets: [ObservationTarget] = []
        for vm in vms {
            if uris[vm.container] == nil {
                uris[vm.container] = LibvirtURI.of(container: vm.container, attributes: try reader.attributeMap(of: vm.container, in: txn),
                                                   defaultOverride: defaultURI)
            }
            targets.append(ObservationTarget(vm: vm.name, uuid: vm.uuid, container: vm.container, uri: uris[vm.container]!))
        }
        return targets
    }
}
