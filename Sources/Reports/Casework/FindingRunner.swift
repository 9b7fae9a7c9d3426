import ChainIndex
import Foundation
import GRDB
import Tracer

/// A computed finding before it is stored: the result and everything it was computed on.
public struct FindingComputation: Sendable, Equatable {
    public var specification: FindingSpecification
    /// Canonical JSON of the result (``FindingRunner/encode(_:)``).
    public var result: Data
    public var tipHeight: Int?
    public var tipHash: String?
    /// `cluster_progress.parameters` of the index.
    public var clusterParameters: String

    public init(specification: FindingSpecification, result: Data, tipHeight: Int?, tipHash: String?, clusterParameters: String) {
        self.specification = specification
        self.result = result
        self.tipHeight = tipHeight
        self.tipHash = tipHash
        self.clusterParameters = clusterParameters
    }

    /// Hex SHA-256 of ``result`` (recorded in the audit log).
    public var resultDigest: String {
        Hashing.sha256([UInt8](result)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Runs the Tracer for a finding (trace, exposure, seller payments) against the chain index, and
/// re-runs stored findings (``recompute(_:)``) so a report can say whether each result still holds.
///
/// Results are stored as the Tracer's `Codable` types encoded with sorted keys: `TraceResult`
/// (`[TraceResult]` in the order poison, haircut, fifo for model `all`), `ExposureReport`, or
/// `SellerPaymentsReport` (every payment listed, no fiat values).
public struct FindingRunner: Sendable {
    public let index: IndexStore

    public init(index: IndexStore) {
        self.index = index
    }

    /// Opens the chain index in `dataDirectory` (never creates one).
    /// - Throws: `IndexStoreError.noIndex` when there is no index.
    public init(dataDirectory: String) throws {
        index = try IndexStore(dataDirectory: dataDirectory, create: false)
    }

    /// Computes a finding.
    /// - Throws: ``CaseworkError/invalidParameter(name:value:expected:)``, the Tracer's errors
    ///   (`ClusterError.notClustered`, `TraceError.subjectNotFound`, …), ``CaseworkError/indexChanged(before:after:)``.
    public func run(_ specification: FindingSpecification) throws -> FindingComputation {
        try specification.validate()
        let network = try index.network() ?? .mainnet
        switch specification.kind {
        case .trace, .exposure:
            return try index.read { db in
                let graph = try IndexFlowGraph(db: db, network: network, layer: specification.layer)
                let tip = try graph.tip()
                let result =
                    try specification.kind == .trace
                    ? traceResult(graph, specification, tip: tip)
                    : FindingRunner.encode(
                        try graph.exposure(
                            of: specification.subject, model: TaintModel(rawValue: specification.model) ?? .haircut,
                            maxHops: specification.hops, maxNodes: specification.maxNodes))
                return FindingComputation(
                    specification: specification, result: result, tipHeight: tip.height, tipHash: tip.hash,
                    clusterParameters: try Self.clusterParameters(db))
            }
        case .payments:
            let before = try index.read { db in (try Self.tip(db), try Self.clusterParameters(db)) }
            let report = try SellerPayments(store: index).run([specification.subject], layer: specification.layer)
            let after = try index.read { db in (try Self.tip(db), try Self.clusterParameters(db)) }
            guard before.0.height == after.0.height, before.0.hash == after.0.hash, before.1 == after.1 else {
                throw CaseworkError.indexChanged(
                    before: "\(before.0.height.map(String.init) ?? "-") \(before.0.hash ?? "-")",
                    after: "\(after.0.height.map(String.init) ?? "-") \(after.0.hash ?? "-")")
            }
            return FindingComputation(
                specification: specification, result: try Self.encode(report), tipHeight: before.0.height,
                tipHash: before.0.hash, clusterParameters: before.1)
        }
    }

    /// Re-runs a stored finding with its stored parameters against the current index and returns
    /// the result bytes; equal bytes mean the result is unchanged.
    /// - Throws: as ``run(_:)``; ``CaseworkError/invalidParameter(name:value:expected:)`` for
    ///   stored parameters that cannot be read.
    public func recompute(_ finding: Finding) throws -> Data {
        try rerun(finding).result
    }

    /// Re-runs a stored finding, with the tip and clustering it ran on this time.
    public func rerun(_ finding: Finding) throws -> FindingComputation {
        try run(try FindingSpecification(kind: finding.kind, subject: finding.subject, parameters: finding.parameters))
    }

    /// The canonical encoding of a result: JSON with sorted keys.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    private func traceResult(_ graph: IndexFlowGraph, _ s: FindingSpecification, tip: (height: Int?, hash: String?)) throws -> Data {
        let start = try graph.start(for: s.subject)
        let results = try s.models.map { model in
            let p = TraceParameters(
                direction: s.backward ? .backward : .forward, model: model, maxHops: s.hops, minValue: s.minValue,
                maxNodes: s.maxNodes, layer: s.layer.description)
            return try TraceEngine(graph: graph, parameters: p).run(start, tipHeight: tip.height, tipHash: tip.hash)
        }
        if s.model == "all" { return try Self.encode(results) }
        guard let only = results.first else {
            throw CaseworkError.invalidParameter(name: "model", value: s.model, expected: "poison, haircut, fifo or all")
        }
        return try Self.encode(only)
    }

    /// The chain tip (as `IndexFlowGraph.tip()` reads it).
    static func tip(_ db: Database) throws -> (height: Int?, hash: String?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT height, hash FROM block WHERE in_chain = 1 ORDER BY height DESC LIMIT 1") else {
            return (nil, nil)
        }
        let bytes: Data? = row[1]
        return (row[0], bytes.flatMap { Hash256(internalBytes: [UInt8]($0))?.hex })
    }

    static func clusterParameters(_ db: Database) throws -> String {
        guard try db.tableExists("cluster_progress") else { return "" }
        return try String.fetchOne(db, sql: "SELECT parameters FROM cluster_progress WHERE id = 1") ?? ""
    }
}
