extension CoinJoinDetector {
    /// One Whirlpool pool: its denomination and the coordinator fees it has charged.
    public struct WhirlpoolPool: Sendable, Equatable {
        /// The postmix value in satoshis (every mix output has exactly this value).
        public var denomination: Int64
        /// Coordinator fees seen in Tx0s of this pool, in satoshis (the schedule changed over time;
        /// SCODE discounts lower it further, which is why the fee is not required to match).
        public var fees: [Int64]

        public init(denomination: Int64, fees: [Int64]) {
            self.denomination = denomination
            self.fees = fees
        }
    }

    /// Every threshold of the CoinJoin rules. Reports print ``entries`` (or ``description``) so a
    /// result always states the parameters that produced it. Defaults and their sources are in
    /// `docs/heuristics.md`.
    public struct Parameters: Sendable, Equatable, CustomStringConvertible {
        // MARK: Whirlpool

        /// The pools (Samourai: 0.001, 0.01, 0.05, 0.5 BTC).
        public var whirlpoolPools: [WhirlpoolPool]
        /// Inputs (= outputs) of a mix: 5 until 2023, 6–8 in "surge cycles" since.
        public var whirlpoolMixSizes: ClosedRange<Int>
        /// The most a premix coin may exceed the denomination (its share of future mix fees), in satoshis.
        public var whirlpoolMaxPremixExcess: Int64
        /// The most non-premix, non-OP_RETURN outputs of a Tx0 (coordinator fee plus change outputs).
        public var whirlpoolTx0MaxOtherOutputs: Int

        // MARK: Wasabi 1.x

        /// The approximate base denomination of Wasabi 1 rounds, in satoshis (0.1 BTC).
        public var wasabi1BaseDenomination: Int64
        /// How far the round's denomination may lie from the base, in satoshis (0.02 BTC, as Dumplings).
        public var wasabi1Tolerance: Int64
        /// The fewest equal base-denomination outputs (distinct addresses).
        public var wasabi1MinEqualOutputs: Int
        /// Equal outputs at and above which the Dumplings rule alone is taken as conclusive.
        public var wasabi1StrongEqualOutputs: Int

        // MARK: Wasabi 2.x (WabiSabi)

        /// The fewest inputs of a WabiSabi round.
        public var wabiSabiMinInputs: Int
        /// Inputs at and above which the round is as large as the WalletWasabi client's own test (50).
        public var wabiSabiStrongInputs: Int
        /// The fewest outputs of a WabiSabi round.
        public var wabiSabiMinOutputs: Int
        /// The share of outputs that must carry a standard denomination (strictly more than this).
        public var wabiSabiMinStandardShare: Double
        /// The fewest distinct input addresses (participants can register several coins).
        public var wabiSabiMinDistinctInputAddresses: Int

        // MARK: JoinMarket

        /// The fewest participants (equal outputs). Two equal outputs are a Stonewall shape: never flagged.
        public var joinMarketMinParticipants: Int
        /// Allowance for the fees the taker pays, when checking that no input is larger than one
        /// participant's equal output plus the largest change: this many satoshis …
        public var joinMarketFeeSlack: Int64
        /// … plus this fraction of the equal output value.
        public var joinMarketFeeSlackFraction: Double

        // MARK: Generic equal-output

        /// The fewest equal outputs (distinct addresses) for the generic rule.
        public var genericMinParticipants: Int

        public init(
            whirlpoolPools: [WhirlpoolPool], whirlpoolMixSizes: ClosedRange<Int>, whirlpoolMaxPremixExcess: Int64,
            whirlpoolTx0MaxOtherOutputs: Int, wasabi1BaseDenomination: Int64, wasabi1Tolerance: Int64,
            wasabi1MinEqualOutputs: Int, wasabi1StrongEqualOutputs: Int, wabiSabiMinInputs: Int, wabiSabiStrongInputs: Int,
            wabiSabiMinOutputs: Int, wabiSabiMinStandardShare: Double, wabiSabiMinDistinctInputAddresses: Int,
            joinMarketMinParticipants: Int, joinMarketFeeSlack: Int64, joinMarketFeeSlackFraction: Double, genericMinParticipants: Int
        ) {
            self.whirlpoolPools = whirlpoolPools
            self.whirlpoolMixSizes = whirlpoolMixSizes
            self.whirlpoolMaxPremixExcess = whirlpoolMaxPremixExcess
            self.whirlpoolTx0MaxOtherOutputs = whirlpoolTx0MaxOtherOutputs
            self.wasabi1BaseDenomination = wasabi1BaseDenomination
            self.wasabi1Tolerance = wasabi1Tolerance
            self.wasabi1MinEqualOutputs = wasabi1MinEqualOutputs
            self.wasabi1StrongEqualOutputs = wasabi1StrongEqualOutputs
            self.wabiSabiMinInputs = wabiSabiMinInputs
            self.wabiSabiStrongInputs = wabiSabiStrongInputs
            self.wabiSabiMinOutputs = wabiSabiMinOutputs
            self.wabiSabiMinStandardShare = wabiSabiMinStandardShare
            self.wabiSabiMinDistinctInputAddresses = wabiSabiMinDistinctInputAddresses
            self.joinMarketMinParticipants = joinMarketMinParticipants
            self.joinMarketFeeSlack = joinMarketFeeSlack
            self.joinMarketFeeSlackFraction = joinMarketFeeSlackFraction
            self.genericMinParticipants = genericMinParticipants
        }

        /// The documented defaults (`docs/heuristics.md` gives the source of each).
        public static let `default` = Parameters(
            whirlpoolPools: [
                WhirlpoolPool(denomination: 100_000, fees: [5_000]),
                WhirlpoolPool(denomination: 1_000_000, fees: [50_000]),
                WhirlpoolPool(denomination: 5_000_000, fees: [175_000, 250_000]),
                WhirlpoolPool(denomination: 50_000_000, fees: [1_750_000, 2_500_000]),
            ],
            whirlpoolMixSizes: 5...8,
            whirlpoolMaxPremixExcess: 100_000,
            whirlpoolTx0MaxOtherOutputs: 4,
            wasabi1BaseDenomination: 10_000_000,
            wasabi1Tolerance: 2_000_000,
            wasabi1MinEqualOutputs: 5,
            wasabi1StrongEqualOutputs: 10,
            wabiSabiMinInputs: 5,
            wabiSabiStrongInputs: 50,
            wabiSabiMinOutputs: 10,
            wabiSabiMinStandardShare: 0.8,
            wabiSabiMinDistinctInputAddresses: 5,
            joinMarketMinParticipants: 3,
            joinMarketFeeSlack: 100_000,
            joinMarketFeeSlackFraction: 0.01,
            genericMinParticipants: 5)

        /// Every parameter as (name, value) pairs in a fixed order, values as plain decimal text.
        public var entries: [(name: String, value: String)] {
            let pools = whirlpoolPools.map { pool in
                "\(pool.denomination):" + pool.fees.map(String.init).joined(separator: "/")
            }.joined(separator: ",")
            return [
                ("whirlpool.pools", pools),
                ("whirlpool.mix_sizes", "\(whirlpoolMixSizes.lowerBound)-\(whirlpoolMixSizes.upperBound)"),
                ("whirlpool.max_premix_excess_sat", "\(whirlpoolMaxPremixExcess)"),
                ("whirlpool.tx0_max_other_outputs", "\(whirlpoolTx0MaxOtherOutputs)"),
                ("wasabi1.base_denomination_sat", "\(wasabi1BaseDenomination)"),
                ("wasabi1.tolerance_sat", "\(wasabi1Tolerance)"),
                ("wasabi1.min_equal_outputs", "\(wasabi1MinEqualOutputs)"),
                ("wasabi1.strong_equal_outputs", "\(wasabi1StrongEqualOutputs)"),
                ("wasabi2.min_inputs", "\(wabiSabiMinInputs)"),
                ("wasabi2.strong_inputs", "\(wabiSabiStrongInputs)"),
                ("wasabi2.min_outputs", "\(wabiSabiMinOutputs)"),
                ("wasabi2.min_standard_share", "\(wabiSabiMinStandardShare)"),
                ("wasabi2.min_distinct_input_addresses", "\(wabiSabiMinDistinctInputAddresses)"),
                ("joinmarket.min_participants", "\(joinMarketMinParticipants)"),
                ("joinmarket.fee_slack_sat", "\(joinMarketFeeSlack)"),
                ("joinmarket.fee_slack_fraction", "\(joinMarketFeeSlackFraction)"),
                ("generic.min_participants", "\(genericMinParticipants)"),
            ]
        }

        /// ``entries`` as a dictionary (for JSON reports).
        public var dictionary: [String: String] {
            Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        }

        /// ``entries`` as `name=value` pairs separated by `; `, in a fixed order.
        public var description: String {
            entries.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
        }
    }
}
