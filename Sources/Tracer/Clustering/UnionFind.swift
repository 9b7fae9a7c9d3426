/// Union-find over dense address ids with the smallest id as every set's root, so a cluster's id
/// is its oldest address (address ids follow first appearance on chain) whatever order the links
/// come in. Path halving keeps finds short. Each node's parent and set size sit side by side (one
/// cache line per node visited), because on a large chain the pass is bound by memory latency.
public struct UnionFind: Sendable {
    /// `nodes[2i]` = parent of i (`== i` for a root), `nodes[2i+1]` = size of i's set (valid at
    /// roots). Address ids up to 2^31 - 1.
    private var nodes: [Int32]

    /// Sets `0..<count`, each on its own.
    public init(count: Int) {
        nodes = Array(repeating: 1, count: 2 * count)
        nodes.withUnsafeMutableBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            var i: Int32 = 0
            while Int(i) < count {
                p[2 * Int(i)] = i
                i &+= 1
            }
        }
    }

    public var count: Int { nodes.count / 2 }

    /// The root of `x`'s set.
    @inline(__always) public mutating func find(_ x: Int32) -> Int32 {
        nodes.withUnsafeMutableBufferPointer { Self.find(x, $0.baseAddress.unsafelyUnwrapped) }
    }

    /// The size of the set whose root is `root`.
    @inline(__always) public func size(ofRoot root: Int32) -> Int32 { nodes[2 * Int(root) + 1] }

    /// Joins the sets of `a` and `b`. Returns the two roots (kept = the smaller) and their sizes
    /// before the union when they were different sets, nil when they were already one.
    @inline(__always)
    public mutating func union(_ a: Int32, _ b: Int32) -> Union? {
        nodes.withUnsafeMutableBufferPointer { Self.union(a, b, $0.baseAddress.unsafelyUnwrapped) }
    }

    /// The result of a union that joined two sets.
    public struct Union: Sendable, Equatable {
        public var kept: Int32
        public var keptSize: Int32
        public var absorbed: Int32
        public var absorbedSize: Int32
    }

    /// Applies every link `a[i]`–`b[i]` whose `select(i)` is true, in order; calls `joined(i, union)`
    /// for each link that joined two sets. The hot loop of clustering.
    public mutating func apply(
        a: [Int64], b: [Int64], where select: (Int) -> Bool, joined: (Int, Union) -> Void
    ) {
        nodes.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress.unsafelyUnwrapped
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for i in 0..<a.count where select(i) {
                        if let u = Self.union(Int32(truncatingIfNeeded: a[i]), Int32(truncatingIfNeeded: b[i]), p) { joined(i, u) }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func find(_ x: Int32, _ p: UnsafeMutablePointer<Int32>) -> Int32 {
        var x = Int(x)
        while true {
            let parent = Int(p[2 * x])
            if parent == x { return Int32(x) }
            let grand = p[2 * parent]
            p[2 * x] = grand
            x = Int(grand)
        }
    }

    @inline(__always)
    private static func union(_ a: Int32, _ b: Int32, _ p: UnsafeMutablePointer<Int32>) -> Union? {
        let ra = find(a, p), rb = find(b, p)
        if ra == rb { return nil }
        let kept = min(ra, rb), absorbed = max(ra, rb)
        let keptSize = p[2 * Int(kept) + 1], absorbedSize = p[2 * Int(absorbed) + 1]
        p[2 * Int(absorbed)] = kept
        p[2 * Int(kept) + 1] = keptSize &+ absorbedSize
        return Union(kept: kept, keptSize: keptSize, absorbed: absorbed, absorbedSize: absorbedSize)
    }
}
