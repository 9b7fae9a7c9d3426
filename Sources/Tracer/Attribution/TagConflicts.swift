/// Two categories on one cluster that cannot both be true, with the tags that carry them.
/// Conflicts are shown to the analyst, never resolved by picking one side.
public struct TagConflict: Hashable, Sendable {
    /// The cluster, when the caller grouped the tags by cluster.
    public var cluster: Int64?
    public var first: TagCategory
    public var second: TagCategory
    /// Why these categories conflict.
    public var rule: TagConflictRules.Rule
    /// Ids of the tags carrying `first` and `second`.
    public var firstTags: [Int64]
    public var secondTags: [Int64]
}

/// Which categories cannot share a cluster (see `docs/tags.md`).
///
/// - **Actor and service** (`actorAndService`): `abuse_seller` or `scam` with a custodial service
///   (`exchange`, `mixer`, `marketplace`, `payment_processor`, `gambling`). A service's cluster
///   holds many users' deposit addresses, so either an actor's tag sits on a deposit address of
///   the service (and says nothing about the rest of the cluster), or clustering merged two
///   owners.
/// - **Two services** (`twoServices`): two different service categories (e.g. `exchange` and
///   `gambling`): distinct businesses should not share a wallet cluster; usually clustering
///   merged them, through a shared deposit or a CoinJoin.
/// - Compatible: the same category twice; `abuse_seller` with `scam` (one actor may do both);
///   anything with `other`.
public enum TagConflictRules {
    public enum Rule: String, Hashable, Sendable, Codable {
        case actorAndService = "actor_and_service"
        case twoServices = "two_services"
    }

    /// The rule that makes `a` and `b` conflict, nil when they are compatible.
    public static func rule(_ a: TagCategory, _ b: TagCategory) -> Rule? {
        guard a != b, a != .other, b != .other else { return nil }
        switch (a.isService, b.isService) {
        case (true, true): return .twoServices
        case (true, false), (false, true): return .actorAndService
        case (false, false): return nil
        }
    }

    /// The conflicts among the tags of one cluster (address tags of its members and tags on the
    /// cluster itself, gathered by the caller), one per conflicting pair of categories, in
    /// category order.
    public static func conflicts(_ tags: [StoredTag], cluster: Int64? = nil) -> [TagConflict] {
        var byCategory = [TagCategory: [Int64]]()
        for t in tags { byCategory[t.tag.category, default: []].append(t.id) }
        let present = TagCategory.allCases.filter { byCategory[$0] != nil }
        var out = [TagConflict]()
        for (i, a) in present.enumerated() {
            for b in present[(i + 1)...] {
                guard let rule = rule(a, b) else { continue }
                out.append(
                    TagConflict(
                        cluster: cluster, first: a, second: b, rule: rule,
                        firstTags: byCategory[a] ?? [], secondTags: byCategory[b] ?? []))
            }
        }
        return out
    }

    /// The conflicts of every cluster of `tagsByCluster`, in cluster order.
    public static func conflicts(byCluster tagsByCluster: [Int64: [StoredTag]]) -> [TagConflict] {
        tagsByCluster.keys.sorted().flatMap { conflicts(tagsByCluster[$0] ?? [], cluster: $0) }
    }
}
