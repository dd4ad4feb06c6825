/// A complete subtree: the leaves `[index · 2^level, (index + 1) · 2^level)`. Level 0 is the
/// leaves themselves. Complete subtrees never change once their last leaf is appended, so
/// their hashes can be stored once and read for every later root and proof.
public struct NodeID: Hashable, Sendable, CustomStringConvertible {
    public let level: Int
    public let index: UInt64

    public init(level: Int, index: UInt64) {
        self.level = level
        self.index = index
    }

    /// The first leaf the subtree covers.
    public var firstLeaf: UInt64 { index << UInt64(level) }

    public var description: String { "node(level \(level), index \(index))" }
}

/// Reads the stored hash of a complete subtree. The ledger reads its `tree` database; tests
/// read memory. A failed read is reported as ``TransparencyError/Code/unreadableNode``.
public typealias NodeReader = (NodeID) throws(TransparencyError) -> [UInt8]
