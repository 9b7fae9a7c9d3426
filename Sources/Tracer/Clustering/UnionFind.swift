/// Union-find over dense address ids with the smallest id as every set's root, so a cluster's id
/// is its oldest address (address ids follow first appearance on chain) whatever order the links
/// come in. Path halving keeps finds short.
public struct UnionFind: Sendable {
    /// `parent[i] == i` for a root. Address ids up to 2^31 - 1.
    public private(set) var parent: [Int32]
    /// Set sizes, valid at roots.
    public private(set) var size: [Int32]

    /// Sets `0..<count`, each on its own.
    public init(count: Int) {
        parent = (0..<Int32(count)).map { $0 }
        size = Array(repeating: 1, count: count)
    }

    public var count: Int { parent.count }

    /// Grows to hold ids `0..<count`.
    public mutating func grow(to count: Int) {
        guard count > parent.count else { return }
        parent.append(contentsOf: Int32(parent.count)..<Int32(count))
        size.append(contentsOf: repeatElement(1, count: count - size.count))
    }

    /// The root of `x`'s set.
    @inline(__always) public mutating func find(_ x: Int32) -> Int32 {
        var x = x
        return parent.withUnsafeMutableBufferPointer { p in
            while p[Int(x)] != x {
                let grand = p[Int(p[Int(x)])]
                p[Int(x)] = grand
                x = grand
            }
            return x
        }
    }

    /// Joins the sets of `a` and `b`. Returns the two roots before the union (smaller first) when
    /// they were different sets, nil when they were already one.
    @inline(__always) public mutating func union(_ a: Int32, _ b: Int32) -> (kept: Int32, absorbed: Int32)? {
        let ra = find(a), rb = find(b)
        if ra == rb { return nil }
        let kept = min(ra, rb), absorbed = max(ra, rb)
        parent[Int(absorbed)] = kept
        size[Int(kept)] &+= size[Int(absorbed)]
        return (kept, absorbed)
    }

    /// The size of `x`'s set.
    public mutating func setSize(_ x: Int32) -> Int32 { size[Int(find(x))] }
}
