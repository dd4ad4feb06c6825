import Foundation
import Projections

/// Carries out one effect on its container, idempotently: define-if-different,
/// start-if-not-running, stop-if-running, delete-if-present. Doing an effect twice (after a
/// crash between doing it and recording it) ends in the same state as doing it once.
struct EffectPerformer {
    struct Result {
        /// What happened, when it is worth recording (`already running`, `stopped hard`).
        var message: String?
        /// `address:port` of a started VM's VNC console.
        var console: String?
    }

    func perform(_ work: EffectWork, on connection: HypervisorConnection) throws -> Result {
        let effect = work.effect
        switch effect.kind {
        case .startVM:
            guard let facts = work.start else { return Result(message: "nothing to start: \(effect.vm) is removed or being removed") }
            return try start(facts, on: connection)
        case .stopVM:
            guard let domain = try domain(of: work, on: connection) else { return Result(message: "not defined") }
            return try stop(domain, gracefulTimeout: effect.gracefulTimeout)
        case .undefineVM:
            guard let domain = try domain(of: work, on: connection) else { return Result(message: "not defined") }
            if try domain.state() != .shutoff { _ = try stop(domain, gracefulTimeout: nil) }
            try domain.undefine()
            return Result()
        case .deleteDisk:
            guard let disk = effect.disk else { throw ExecutorError("effect \(effect.id) names no disk") }
            guard let pool = try connection.storagePoolIfPresent(named: disk.pool) else {
                return Result(message: "no pool \(disk.pool): nothing to delete")
            }
            guard let volume = try pool.volume(named: disk.volume) else { return Result(message: "no volume \(disk.volume)") }
            try volume.delete()
            return Result()
        }
    }

    /// The VM's domain, found by the ledger's UUID, so a domain that merely shares the
    /// name is never touched. Nil when the container has neither; a domain with the name
    /// but another UUID is an error, not an absence: reporting the VM stopped would free its
    /// name and MACs while that domain may still be running.
    private func domain(of work: EffectWork, on connection: HypervisorConnection) throws -> Domain? {
        if let uuid = work.uuid, let domain = try connection.domain(uuid: uuid) { return domain }
        if let clash = try connection.domain(named: work.effect.vm) {
            let other = try clash.uuidString()
            throw ExecutorError("a domain named \(work.effect.vm) with UUID \(other), not the ledger's \(work.uuid ?? "?"), exists on \(connection.uri): not touching it")
        }
        return nil
    }

    private func start(_ facts: EffectWork.StartFacts, on connection: HypervisorConnection) throws -> Result {
        let definition = try facts.definition(on: connection)
        var notes: [String] = []
        for disk in definition.disks {
            let created = try createVolumeIfMissing(disk, on: connection)
            if created { notes.append("created \(disk.pool)/\(disk.volume)") }
        }
        let domain = try defineIfDifferent(definition, on: connection, notes: &notes)
        switch try domain.state() {
        case .running where notes.contains("redefined"): notes.append("already running; the new definition takes effect at its next start")
        case .running: notes.append("already running")
        case .paused: try domain.resume()
        case .shutoff, .other: try domain.start()
        }
        return Result(message: notes.isEmpty ? nil : notes.joined(separator: ", "), console: try Self.console(of: domain))
    }

    /// The domain as the ledger wants it: defined when absent, redefined when its recorded
    /// digest differs from the definition's.
    private func defineIfDifferent(_ definition: DomainDefinition, on connection: HypervisorConnection,
                                   notes: inout [String]) throws -> Domain
    {
        guard let current = try connection.domain(uuid: definition.uuid) else {
            if let clash = try connection.domain(named: definition.name) {
                let other = try clash.uuidString()
                throw ExecutorError("a domain named \(definition.name) with UUID \(other), not the ledger's \(definition.uuid), exists on \(connection.uri)")
            }
            notes.append("defined")
            return try connection.define(xml: definition.xml)
        }
        let metadata = try current.metadata(namespace: DomainDefinition.metadataNamespace)
        if definition.isDescribed(byMetadata: metadata) { return current }
        notes.append("redefined")
        return try connection.define(xml: definition.xml)
    }

    /// Creates a disk as a sparse volume (nothing allocated up front); true if it was missing.
    private func createVolumeIfMissing(_ disk: VMDisk, on connection: HypervisorConnection) throws -> Bool {
        let pool = try connection.storagePool(named: disk.pool)
        guard try pool.isActive() else { throw ExecutorError("storage pool \(disk.pool) on \(connection.uri) is not active") }
        guard try pool.volume(named: disk.volume) == nil else { return false }
        try pool.createVolume(xml: """
            <volume>
              <name>\(DomainDefinition.escaped(disk.volume))</name>
              <capacity unit='GiB'>\(disk.sizeGB)</capacity>
              <allocation unit='bytes'>0</allocation>
              <target><format type='\(disk.format)'/></target>
            </volume>
            """)
        return true
    }

    private func stop(_ domain: Domain, gracefulTimeout: Int64?) throws -> Result {
        let state = try domain.state()
        guard state != .shutoff else { return Result(message: "already shut off") }
        var message: String?
        // A paused guest cannot hear ACPI: it is stopped hard.
        if let gracefulTimeout, state != .paused {
            try domain.shutdown()
            let deadline = Date().addingTimeInterval(Double(gracefulTimeout))
            var state = try domain.state()
            while Date() < deadline, state != .shutoff {
                Thread.sleep(forTimeInterval: 0.25)
                state = try domain.state()
            }
            if state == .shutoff { return Result(message: "shut down") }
            message = "did not shut down within \(gracefulTimeout) s; stopped hard"
        }
        do {
            try domain.destroy()
        } catch {
            // It may have stopped on its own between the check and the destroy.
            guard try domain.state() == .shutoff else { throw error }
        }
        return Result(message: message)
    }

    /// The VNC server's UNIX socket, from the live XML.
    static func console(of domain: Domain) throws -> String? {
        ConsoleEndpoint.socket(inLiveXML: try domain.xml())
    }
}

extension EffectWork.StartFacts {
    /// The domain for this VM, of the type its container offers.
    func definition(on connection: HypervisorConnection) throws -> DomainDefinition {
        try definition(type: try connection.preferredDomainType())
    }

    func definition(type: String) throws -> DomainDefinition {
        try DomainDefinition(vm: vm, host: host, interfaces: interfaces, containerTopology: topology, type: type)
    }
}
