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
    /// With `--fiat`: each figure above as the exact sum of its outputs' fiat values, each at the UTC
    /// date of the block time of the transaction creating the output (``FiatSum``).
    @FiatField public var totalReceivedFiat: FiatSum? = nil
    @FiatField public var receivedDirectFiat: FiatSum? = nil
    @FiatField public var receivedIndirectFiat: FiatSum? = nil
    @FiatField public var sentDirectFiat: FiatSum? = nil
    @FiatField public var sentIndirectFiat: FiatSum? = nil

    enum CodingKeys: String, CodingKey {
        case line, address, status, cluster, categories, labels, truncated
        case clusterSize = "cluster_size", totalReceived = "total_received", receivedDirect = "received_direct",
             receivedIndirect = "received_indirect", sentDirect = "sent_direct", sentIndirect = "sent_indirect", minHops = "min_hops"
        case totalReceivedFiat = "total_received_fiat", receivedDirectFiat = "received_direct_fiat",
             receivedIndirectFiat = "received_indirect_fiat", sentDirectFiat = "sent_direct_fiat", sentIndirectFiat = "sent_indirect_fiat"
    }

    /// The columns ``fiatCSVFields`` adds after ``csvHeader`` with `--fiat`.
    public static let fiatCSVHeader = "fiat_currency,total_received_fiat,received_direct_fiat,received_indirect_fiat,"
        + "sent_direct_fiat,sent_indirect_fiat,fiat_missing,fiat_missing_dates"

    /// The fiat columns (comma first): the currency, the five sums (empty when a part has no
    /// price), the parts without a price over those columns, and their dates (`;`-separated).
    public var fiatCSVFields: String {
        let sums = [totalReceivedFiat, receivedDirectFiat, receivedIndirectFiat, sentDirectFiat, sentIndirectFiat]
        let currency = sums.lazy.compactMap { $0?.currency.code }.first ?? ""
        let missing = sums.reduce(0) { $0 + ($1?.missing ?? 0) }
        let dates = Set(sums.flatMap { $0?.missingDates ?? [] }).sorted().map(\.description).joined(separator: ";")
        return "," + ([currency] + sums.map { $0?.amount ?? "" } + [String(missing), dates]).joined(separator: ",")
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
        var fiat: FiatAnnotator? = nil
        return try screen(addresses, category: category, maxHops: maxHops, maxNodes: maxNodes, fiat: &fiat)
    }

    /// As ``screen(_:category:maxHops:maxNodes:)``, with every figure also in fiat from `converter`
    /// (each output at the UTC date of its block time), and the series cited with the dates it lacked.
    /// Slower: the traces keep every output's time.
    public func screen(_ addresses: [(line: Int, address: String)], category: String = "abuse_seller", maxHops: Int,
                       maxNodes: Int = 2_000, fiat converter: FiatConverter) throws
        -> (rows: [ScreeningRow], fiatSeries: FiatSeriesCitation)
    {
        var fiat: FiatAnnotator? = FiatAnnotator(converter)
        let rows = try screen(addresses, category: category, maxHops: maxHops, maxNodes: maxNodes, fiat: &fiat)
        return (rows, fiat?.citation ?? FiatSeriesCitation(converter))
    }

    private func screen(_ addresses: [(line: Int, address: String)], category: String, maxHops: Int, maxNodes: Int,
                        fiat: inout FiatAnnotator?) throws -> [ScreeningRow] {
        var rows: [ScreeningRow] = []
        rows.reserveCapacity(addresses.count)
        for (line, address) in addresses {
            var row = ScreeningRow(line: line, address: address, status: "ok", cluster: nil, clusterSize: nil, categories: [], labels: [],
                                   totalReceived: 0, receivedDirect: 0, receivedIndirect: 0, sentDirect: 0, sentIndirect: 0, minHops: nil,
                                   truncated: false)
            let start: TraceStart
            do { start = try self.start(for: address) } catch TraceError.subjectNotFound {
                row.status = "not_in_index"
                if let empty = fiat?.emptySum {
                    (row.totalReceivedFiat, row.receivedDirectFiat, row.receivedIndirectFiat) = (empty, empty, empty)
                    (row.sentDirectFiat, row.sentIndirectFiat) = (empty, empty)
                }
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
                // Fiat values need each output's time, which only the detailed result holds.
                let r = try TraceEngine(graph: self, parameters: p).run(start, tipHeight: nil, tipHash: nil, detail: fiat != nil)
                if fiat != nil { fiat?.annotate(&row, direction: direction, trace: r, category: category) }
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

extension FiatAnnotator {
    /// Fills the fiat sums of a screening row from one of its (detailed) traces: the subject's
    /// outputs once (from the backward trace), and the attributed outputs of `category`.
    mutating func annotate(_ row: inout ScreeningRow, direction: TraceDirection, trace: TraceResult, category: String) {
        var direct = emptySum, indirect = emptySum
        if direction == .backward {
            var total = emptySum
            for n in trace.nodes where n.hop == 0 { add(satoshis: n.value, time: n.time, to: &total) }
            row.totalReceivedFiat = total
        }
        for n in trace.nodes where n.stop == .attributed && n.endpoint?.categories.contains(category) == true {
            if n.hop <= 1 {
                add(satoshis: n.amount, time: n.time, to: &direct)
            } else {
                add(satoshis: n.amount, time: n.time, to: &indirect)
            }
        }
        switch direction {
        case .backward: (row.receivedDirectFiat, row.receivedIndirectFiat) = (direct, indirect)
        case .forward: (row.sentDirectFiat, row.sentIndirectFiat) = (direct, indirect)
        }
    }
}
