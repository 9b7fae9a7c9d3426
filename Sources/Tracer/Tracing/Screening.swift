import ChainIndex
import Foundation

/// One screened address, as `spoor screen` writes it.
public struct ScreeningRow: Sendable, Codable, Equatable {
    /// The input line.
    public var line: Int
    public var address: String
    /// `ok`, or `not_in_index` (a valid address never seen on this chain).
    public var status: String
    public var cluster: Int64?
    public var clusterSize: Int?
    /// Tags on the address's cluster.
    public var categories: [String]
    public var labels: [String]
    public var totalReceived: Int64
    /// Exposure to the screened category (default `abuse_seller`), satoshis.
    public var receivedDirect: Int64
    public var receivedIndirect: Int64
    public var sentDirect: Int64
    public var sentIndirect: Int64
    /// Fewest transactions to the category in either direction, nil when not reached.
    public var minHops: Int?
    /// True when a trace stopped at its node limit (figures are lower bounds).
    public var truncated: Bool

    enum CodingKeys: String, CodingKey {
        case line, address, status, cluster, categories, labels, truncated
        case clusterSize = "cluster_size", totalReceived = "total_received", receivedDirect = "received_direct",
             receivedIndirect = "received_indirect", sentDirect = "sent_direct", sentIndirect = "sent_indirect", minHops = "min_hops"
    }

    /// The CSV header matching ``csvLine``.
    public static let csvHeader =
        "line,address,status,cluster,cluster_size,categories,labels,total_received,received_direct,received_indirect,sent_direct,sent_indirect,min_hops,truncated"

    /// The row as CSV (fields with commas or quotes quoted).
    public var csvLine: String {
        func q(_ s: String) -> String { s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var fields: [String] = [String(line), q(address), status]
        fields.append(cluster.map { String($0) } ?? "")
        fields.append(clusterSize.map { String($0) } ?? "")
        fields.append(q(categories.joined(separator: ";")))
        fields.append(q(labels.joined(separator: ";")))
        fields += [String(totalReceived), String(receivedDirect), String(receivedIndirect), String(sentDirect), String(sentIndirect)]
        fields.append(minHops.map { String($0) } ?? "")
        fields.append(truncated ? "true" : "false")
        return fields.joined(separator: ",")
    }
}

/// A line of the screening input that could not be screened.
public struct ScreeningProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "line \(line): \(reason)" }
}

/// Reads the addresses to screen: one per line, or a CSV whose header has an `address` column.
/// Blank lines are skipped; an invalid address is a problem of its line, the others are screened.
public enum ScreeningInput {
    public static func read(_ text: String, network: Network) -> (addresses: [(line: Int, address: String)], problems: [ScreeningProblem]) {
        // "\r\n" is one Character in Swift: split on any newline, not on "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if text.last?.isNewline == true { lines.removeLast() }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        var column = 0
        var start = 0
        if let header = lines.first?.lowercased().split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }),
           let i = header.firstIndex(of: "address") {
            column = i
            start = 1
        }
        var addresses: [(Int, String)] = [], problems: [ScreeningProblem] = []
        for (i, raw) in lines.enumerated().dropFirst(start) {
            let number = i + 1
            guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false)
            guard column < fields.count else { problems.append(ScreeningProblem(line: number, reason: "no address column")); continue }
            let text = fields[column].trimmingCharacters(in: CharacterSet(charactersIn: " \t\""))
            do {
                _ = try AddressKey.parse(text, network: network)
                addresses.append((number, text))
            } catch {
                problems.append(ScreeningProblem(line: number, reason: "'\(text)' is not a valid \(network.name) address: \(error)"))
            }
        }
        return (addresses, problems)
    }
}

extension IndexFlowGraph {
    /// Screens addresses: cluster, tags, and haircut exposure to `category` within `maxHops`.
    public func screen(_ addresses: [(line: Int, address: String)], category: String = "abuse_seller", maxHops: Int,
                       maxNodes: Int = 2_000) throws -> [ScreeningRow] {
        var rows: [ScreeningRow] = []
        rows.reserveCapacity(addresses.count)
        for (line, address) in addresses {
            var row = ScreeningRow(line: line, address: address, status: "ok", cluster: nil, clusterSize: nil, categories: [], labels: [],
                                   totalReceived: 0, receivedDirect: 0, receivedIndirect: 0, sentDirect: 0, sentIndirect: 0, minHops: nil,
                                   truncated: false)
            let start: TraceStart
            do { start = try self.start(for: address) } catch TraceError.subjectNotFound {
                row.status = "not_in_index"
                rows.append(row)
                continue
            }
            row.address = String(start.description.dropFirst("address ".count))
            if let c = start.ownClusters.first {
                row.cluster = c
                row.clusterSize = try clusterSize(c)
                if let e = try endpoint(ofCluster: c) { row.categories = e.categories; row.labels = e.labels }
            }
            for direction in [TraceDirection.backward, .forward] {
                let p = TraceParameters(direction: direction, model: .haircut, maxHops: maxHops, maxNodes: maxNodes, layer: layer.description)
                let r = try TraceEngine(graph: self, parameters: p).run(start, tipHeight: nil, tipHash: nil, detail: false)
                row.totalReceived = r.startAmount
                row.truncated = row.truncated || r.truncated
                for n in r.nodes where n.stop == .attributed && n.endpoint?.categories.contains(category) == true {
                    switch (direction, n.hop <= 1) {
                    case (.backward, true): row.receivedDirect += n.amount
                    case (.backward, false): row.receivedIndirect += n.amount
                    case (.forward, true): row.sentDirect += n.amount
                    case (.forward, false): row.sentIndirect += n.amount
                    }
                    row.minHops = min(row.minHops ?? Int.max, n.hop)
                }
            }
            rows.append(row)
        }
        return rows
    }
}
