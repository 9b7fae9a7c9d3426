import ChainIndex
import Foundation
import Tracer

/// Re-runs a stored finding against the current index and compares the results.
///
/// Keep this file the one place that decides how a finding is re-run and compared.
public enum FindingRecompute {
    /// The outcome for one finding.
    public struct Outcome: Codable, Equatable, Sendable {
        public var finding: Int64
        /// `identical`, `differs` or `error`.
        public var status: String
        public var detail: String
        public var storedTipHeight: Int?
        public var newTipHeight: Int?
        public var newTipHash: String?

        public init(finding: Int64, status: String, detail: String, storedTipHeight: Int?, newTipHeight: Int?, newTipHash: String?) {
            self.finding = finding
            self.status = status
            self.detail = detail
            self.storedTipHeight = storedTipHeight
            self.newTipHeight = newTipHeight
            self.newTipHash = newTipHash
        }

        enum CodingKeys: String, CodingKey {
            case finding, status, detail
            case storedTipHeight = "stored_tip_height", newTipHeight = "new_tip_height", newTipHash = "new_tip_hash"
        }
    }

    /// Re-runs `finding` on `store` through the casework store's ``FindingRunner`` (the same code
    /// that computed it). Tip fields and fiat values (derived from a price series, not re-derived
    /// here) are left out of the comparison; the new tip is reported.
    public static func run(_ finding: Finding, store: IndexStore) -> Outcome {
        var out = Outcome(
            finding: finding.id, status: "error", detail: "", storedTipHeight: finding.tipHeight, newTipHeight: nil, newTipHash: nil)
        do {
            let rerun = try FindingRunner(index: store).rerun(finding)
            out.newTipHeight = rerun.tipHeight
            out.newTipHash = rerun.tipHash
            let same = try normalised(finding.result) == normalised(rerun.result)
            out.status = same ? "identical" : "differs"
            out.detail = same ? "same result" : "the recomputed result differs from the stored one"
        } catch {
            out.detail = "cannot re-run: \(error)"
        }
        return out
    }

    /// The result as a JSON object without tip and fiat keys, for comparison.
    static func normalised(_ data: Data) throws -> NSObject {
        func strip(_ any: Any) -> Any {
            if let d = any as? [String: Any] {
                var out: [String: Any] = [:]
                for (k, v) in d where !(k == "tip_height" || k == "tip_hash" || k.hasSuffix("_fiat") || k == "fiat_series") {
                    out[k] = strip(v)
                }
                return out
            }
            if let a = any as? [Any] { return a.map(strip) }
            return any
        }
        let object = strip(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) as NSData
    }
}
