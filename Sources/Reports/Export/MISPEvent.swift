import Foundation

/// The case's seller wallets as a MISP event (MISP core format, `draft-dulaunoy-misp-core-format`):
/// one `btc` attribute (category `Financial fraud`) per address of a cluster tagged
/// `abuse_seller` among the findings' facts, for sharing with other hotlines.
///
/// UUIDs are derived from the case reference and address (SHA-256, formatted as a version-5-style
/// UUID), so exporting the same case twice gives the same event.
public struct MISPExport: Encodable, Equatable, Sendable {
    public struct Event: Encodable, Equatable, Sendable {
        public var uuid: String
        public var info: String
        /// `YYYY-MM-DD`.
        public var date: String
        /// `1` high … `4` undefined.
        public var threatLevelID: String
        /// `0` initial, `1` ongoing, `2` completed.
        public var analysis: String
        /// `0` your organisation only … `3` all communities.
        public var distribution: String
        public var published: Bool
        public var timestamp: String
        public var attributes: [MISPAttribute]
        public var tags: [MISPTag]

        enum CodingKeys: String, CodingKey {
            case uuid, info, date, analysis, distribution, published, timestamp
            case threatLevelID = "threat_level_id", attributes = "Attribute", tags = "Tag"
        }
    }

    public struct MISPAttribute: Encodable, Equatable, Sendable {
        public var uuid: String
        public var type: String
        public var category: String
        public var value: String
        public var toIDs: Bool
        public var comment: String
        /// `5`: inherit the event's.
        public var distribution: String
        public var timestamp: String

        enum CodingKeys: String, CodingKey { case uuid, type, category, value, comment, distribution, timestamp, toIDs = "to_ids" }
    }

    public struct MISPTag: Encodable, Equatable, Sendable {
        public var name: String
    }

    public var event: Event

    enum CodingKeys: String, CodingKey { case event = "Event" }

    /// The seller addresses of `document` (any audience): addresses of outputs whose cluster carries
    /// an `abuse_seller` attribution in the same finding, sorted.
    public static func sellerAddresses(_ document: EvidenceDocument) -> [(address: String, labels: [String], clusters: [Int64])] {
        var found: [String: (labels: Set<String>, clusters: Set<Int64>)] = [:]
        for a in document.answers {
            for f in a.findings {
                let sellers = Dictionary(
                    grouping: f.attributions.filter { $0.category == "abuse_seller" && $0.cluster != nil },
                    by: { $0.cluster ?? -1 })
                for fact in f.facts {
                    guard let c = fact.cluster, let tags = sellers[c], let address = fact.address,
                        fact.role == "payment" || fact.role.hasSuffix("endpoint")
                    else { continue }
                    var entry = found[address] ?? ([], [])
                    entry.labels.formUnion(tags.map(\.label))
                    entry.clusters.insert(c)
                    found[address] = entry
                }
            }
        }
        return found.keys.sorted().compactMap { k in found[k].map { (k, $0.labels.sorted(), $0.clusters.sorted()) } }
    }

    /// The event for `document`'s case.
    /// - Parameters:
    ///   - distribution: MISP distribution level of the event (default `1`, this community).
    public init(document: EvidenceDocument, now: Date = Date(), distribution: String = "1") {
        let ref = document.caseInfo.reference
        let stamp = String(Int64(now.timeIntervalSince1970))
        let attributes = Self.sellerAddresses(document).map { s in
            MISPAttribute(
                uuid: Self.uuid("\(ref)|btc|\(s.address)"), type: "btc", category: "Financial fraud", value: s.address, toIDs: true,
                comment:
                    "abuse-imagery seller wallet (\(s.labels.joined(separator: ", "))), cluster \(s.clusters.map(String.init).joined(separator: ", ")); case \(ref)",
                distribution: "5", timestamp: stamp)
        }
        event = Event(
            uuid: Self.uuid("\(ref)|event"), info: "Seller wallets (Bitcoin) of hotline case \(ref)",
            date: String(UTCText.time(now).prefix(10)),
            threatLevelID: "1", analysis: "2", distribution: distribution, published: false, timestamp: stamp, attributes: attributes,
            tags: [MISPTag(name: "tlp:amber")])
    }

    /// Canonical JSON bytes.
    public func jsonData() throws -> Data { try CanonicalJSON.encode(self) }

    /// A UUID (RFC 4122 layout, version 5 bits) from the SHA-256 of `name`.
    static func uuid(_ name: String) -> String {
        var b = Digest.sha256(Data(name.utf8)).prefix(16).map { $0 }
        b[6] = (b[6] & 0x0f) | 0x50
        b[8] = (b[8] & 0x3f) | 0x80
        let h = Digest.hex(b)
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }
}
