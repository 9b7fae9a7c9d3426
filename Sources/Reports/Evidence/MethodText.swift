import ChainIndex
import Foundation

/// The fixed text of a report's method section: rules with their documented precision
/// (`docs/heuristics.md`, `docs/tracing.md`), limitations and alternative explanations.
enum MethodText {
    static let strictPrecision =
        "pairwise precision 0.99964 (seed 11) and 0.999991 (1M-transaction chain) on synthetic ground truth; "
        + "PayJoins (BIP 78) are the known source of false links; not a real-world error rate"
    static let changePrecision =
        "default detector (two agreeing rules, no dissent): precision 1.000 at 17–19 % coverage on synthetic chains; "
        + "literature 0.886–0.985 per single rule"

    /// The rule and precision behind "this address is in this cluster" in `layer`.
    static func clusterRule(_ layer: String) -> (rule: String, precision: String) {
        layer == "extended"
            ? ("co_spend, same_key and change links (extended layer)", strictPrecision + "; change links: " + changePrecision)
            : ("co_spend and same_key links (strict layer)", strictPrecision)
    }

    static func heuristics(layers: Set<String>) -> [MethodItem] {
        var out = [
            MethodItem(
                name: "co_spend",
                description: "All input addresses of one transaction belong to one owner (multi-input heuristic, "
                    + "Meiklejohn et al. 2013); not applied to transactions a CoinJoin detector flags as multi-party.",
                precision: strictPrecision),
            MethodItem(
                name: "same_key",
                description: "Addresses that are forms of one public key (P2PK, P2PKH, P2WPKH, P2SH-P2WPKH) "
                    + "belong to one owner.", precision: "exact (cryptographic identity)"),
            MethodItem(
                name: "coinjoin detection",
                description: "Whirlpool, Wasabi 1/2, JoinMarket and generic equal-output CoinJoins are "
                    + "detected; traces stop there and co-spend does not link their inputs.",
                precision: "validated on synthetic CoinJoins; vetoes for Stonewall shapes and exchange batches"),
        ]
        if layers.contains("extended") {
            out.append(
                MethodItem(
                    name: "change",
                    description: "The change output of a two-output transaction, chosen by at least two "
                        + "agreeing heuristics with no dissent, is linked to the first input's address.", precision: changePrecision))
        }
        return out
    }

    static let taintModels = [
        MethodItem(
            name: "poison", description: "Any traced input taints every output in full: an upper bound (\"could have come from\").",
            precision: nil),
        MethodItem(
            name: "haircut", description: "Each output carries the traced share of the inputs (proportional); the default.",
            precision: nil),
        MethodItem(
            name: "fifo", description: "Inputs and outputs laid end to end in order; traced satoshis keep their positions.",
            precision: nil),
    ]

    /// The limitation an index with explorer JSON data adds, if it has any.
    static func explorerLimitation(_ status: IndexStatus) -> [String]? {
        guard status.explorerBlocks > 0 || status.explorerPrevouts > 0 else { return nil }
        return [
            "Part of the chain data comes from a block explorer's JSON (import runs of mode 'explorer'): "
                + "\(status.explorerBlocks) block(s) are held without their header, so their hash, height and time are the explorer's "
                + "report, not checked against proof of work; \(status.explorerPrevouts) input(s) take the value and address of the "
                + "output they spend from the explorer (the funding transaction is not in the index). Transaction contents are "
                + "checked (every txid is recomputed). Payments list such inputs as explorer_prevout_inputs."
        ]
    }

    static let limitations = [
        "Completeness is bounded by clustering: payments to a seller's addresses outside the named clusters are not found.",
        "Traces stop at attributed clusters (services mix their customers' money), at CoinJoins and at the hop, value, time and "
            + "node limits given in each finding's parameters.",
        "Only on-chain Bitcoin transactions in the index are covered: not the mempool, Lightning or other chains.",
        "Tags are claims by their sources with the confidence shown; a tag is not proof of control.",
        "Results hold for the index tip named in each finding; later blocks can add payments but do not change these facts.",
    ]

    static let alternatives = [
        MethodItem(
            name: "CoinJoin",
            description: "Coins that passed through a CoinJoin cannot be attributed to one participant; "
                + "traces stop there by design, and undetected CoinJoins can add false co-spend links.", precision: nil),
        MethodItem(
            name: "Custodial wallets",
            description: "An exchange or other custodian pays from and receives into pooled wallets: "
                + "a payment from an exchange cluster is a withdrawal by one of its customers, not by the exchange.",
            precision: nil),
        MethodItem(
            name: "Batch payouts",
            description: "A service paying many recipients in one transaction links the recipients to the "
                + "service's transaction, not to each other; its inputs are the service's.", precision: nil),
        MethodItem(
            name: "PayJoin",
            description: "A PayJoin (BIP 78) looks like an ordinary payment but has inputs of both parties; it can "
                + "merge the payer's and receiver's clusters.", precision: nil),
    ]
}
