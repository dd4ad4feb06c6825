import Ledger
import Signing

/// Identifies an effect: the record that asked for it and its index in that record's decision.
public struct EffectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let sequence: UInt64
    public let index: Int

    public init(sequence: UInt64, index: Int) {
        self.sequence = sequence
        self.index = index
    }

    /// `<sequence, 20 digits>/<index, 4 digits>`, which sorts in the order effects were asked for.
    public var description: String { String(zeroPadded: sequence, width: 20) + "/" + String(zeroPadded: UInt64(index), width: 4) }

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, parts[0].count == 20, parts[1].count == 4, let sequence = UInt64(parts[0]), let index = Int(parts[1]) else { return nil }
        self.init(sequence: sequence, index: index)
    }

    public static func < (lhs: EffectID, rhs: EffectID) -> Bool { (lhs.sequence, lhs.index) < (rhs.sequence, rhs.index) }
}

/// Something the executors must do on a container for a record: stop or undefine a VM,
/// delete its disk. Each ends with exactly one final outcome.
public struct Effect: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Create the VM's missing disk volumes, define the domain if absent or different, start it.
        case startVM = "start vm"
        case stopVM = "stop vm"
        case undefineVM = "undefine vm"
        case deleteDisk = "delete disk"
    }

    public enum Status: String, Sendable {
        case pending, succeeded, failed
    }

    public let id: EffectID
    public let kind: Kind
    public let vm: String
    public let container: String
    public let disk: VMDisk?
    /// For a graceful `stop vm`: seconds to wait for the guest to shut down before a hard stop.
    public var gracefulTimeout: Int64?
    /// For one start of `set cluster power … delay=`: milliseconds after the asking record's
    /// append time before which the executor does not start the VM.
    public var startAfter: Int64?
    public var status: Status = .pending
    public var attempts: Int64 = 0
    public var message: String?

    init(id: EffectID, kind: Kind, vm: String, container: String, disk: VMDisk? = nil) {
        self.id = id
        self.kind = kind
        self.vm = vm
        self.container = container
        self.disk = disk
    }

    /// The `effects` row, as `ledger log` and `ledger show` give it in JSON.
    public func rowJSON() throws -> JSONValue { try CanonicalJSON.decode(row) }

    /// The `effects` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("attempts", attempts)
        row.member("container", container)
        if let disk { row.member("disk") { disk.write(to: &$0) } }
        row.member("graceful-timeout", gracefulTimeout)
        row.member("id", id.description)
        row.member("kind", kind.rawValue)
        row.member("message", message)
        row.member("start-after", startAfter)
        row.member("status", status.rawValue)
        row.member("vm", vm)
        return row.finish()
    }

    /// The effects `record` asks for, in order: those its decision lists under `effects`
    /// (``requested``), none for a denied request.
    public static func requested(by record: Record) throws -> [Effect] {
        guard record.denial == nil else { return [] }
        return try FieldReader.read(record) { decision in
            try decision.hasMember("effects") ? requested(in: decision, sequence: record.sequence) : []
        }
    }

    /// The effects a decision lists under `effects`, numbered in order from record `sequence`.
    static func requested(in decision: FieldReader, sequence: UInt64) throws -> [Effect] {
        var index = 0
        return try decision.array("effects") { requested in
            var effect = Effect(id: EffectID(sequence: sequence, index: index), kind: try requested.string("kind", as: "an effect kind", Kind.init),
                                vm: try requested.string("vm"),
                                container: try requested.string("container"), disk: try requested.optionalObject("disk").map(VMDisk.init(decided:)))
            effect.gracefulTimeout = try requested.optionalInteger("graceful-timeout")
            effect.startAfter = try requested.optionalInteger("start-after")
            index += 1
            return effect
        }
    }

    /// The effect as a decision asks for it: what to do, to which VM, where; its id follows
    /// from its place in the decision, and its status and attempts are the view's.
    var requested: JSONValue {
        .object(JSONObject(omittingNilValues: [
            "kind": .string(kind.rawValue), "vm": .string(vm), "container": .string(container), "disk": disk.map { .object($0.decided) },
            "graceful-timeout": gracefulTimeout.map { .integer($0) }, "start-after": startAfter.map { .integer($0) },
        ]))
    }

    init(row: FieldReader) throws {
        // Read in the row's order, so each field is found a step past the one before.
        let attempts = try row.integer("attempts"), container = try row.string("container")
        let disk = try row.optionalObject("disk").map(VMDisk.init(row:)), gracefulTimeout = try row.optionalInteger("graceful-timeout")
        let id = try row.string("id", as: "an effect id", EffectID.init), kind = try row.string("kind", as: "an effect kind", Kind.init)
        let message = try row.optionalString("message"), startAfter = try row.optionalInteger("start-after")
        let status = try row.string("status", as: "an effect status", Status.init), vm = try row.string("vm")
        self.init(id: id, kind: kind, vm: vm, container: container, disk: disk)
        self.status = status
        self.attempts = attempts
        self.message = message
        self.gracefulTimeout = gracefulTimeout
        self.startAfter = startAfter
    }
}
