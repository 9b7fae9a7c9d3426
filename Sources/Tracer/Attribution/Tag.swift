import ChainIndex
import Foundation

/// What a tag is attached to: one address, or one cluster (whose id comes from clustering).
public enum TagTarget: Hashable, Sendable {
    /// An address: its canonical text on the index's network and its key
    /// (``AddressKey/storageBytes`` is what `tag.address_key` and `address.key` hold).
    case address(String, AddressKey)
    /// A cluster id.
    case cluster(Int64)

    /// The address text, nil for a cluster tag.
    public var address: String? {
        if case .address(let text, _) = self { return text }
        return nil
    }

    /// The address key, nil for a cluster tag.
    public var addressKey: AddressKey? {
        if case .address(_, let key) = self { return key }
        return nil
    }

    /// The cluster id, nil for an address tag.
    public var cluster: Int64? {
        if case .cluster(let id) = self { return id }
        return nil
    }
}

/// One attribution: who (label, category) controls an address or cluster, according to whom
/// (source, author, case), how sure (confidence) and where the address was seen (context).
public struct Tag: Hashable, Sendable {
    public var target: TagTarget
    /// The actor's name as the source gives it.
    public var label: String
    public var category: TagCategory
    /// Where the attribution comes from (a report, a partner, a URL). Hidden for private tags in
    /// partner-facing output.
    public var source: String
    public var confidence: TagConfidence
    /// The URL or domain where the address was first seen.
    public var context: String?
    /// The case reference it belongs to.
    public var caseRef: String?
    /// Who created the tag.
    public var author: String?
    /// When the tag was created (UTC, whole seconds).
    public var created: Date
    /// A private tag's source must not be shown to partners.
    public var isPrivate: Bool

    public init(
        target: TagTarget, label: String, category: TagCategory, source: String, confidence: TagConfidence,
        context: String? = nil, caseRef: String? = nil, author: String? = nil, created: Date, isPrivate: Bool = false
    ) {
        self.target = target
        self.label = label
        self.category = category
        self.source = source
        self.confidence = confidence
        self.context = context
        self.caseRef = caseRef
        self.author = author
        self.created = created
        self.isPrivate = isPrivate
    }

    /// What makes two tags duplicates: the same target, label, category and source.
    public var identity: TagIdentity {
        TagIdentity(
            target: target.cluster.map { .cluster($0) } ?? .address(target.addressKey?.storageBytes ?? []),
            label: label, category: category, source: source)
    }
}

/// The fields that make a tag unique; a second tag with the same identity is a duplicate.
public struct TagIdentity: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        case address([UInt8])
        case cluster(Int64)
    }
    public var target: Target
    public var label: String
    public var category: TagCategory
    public var source: String
}

/// A tag read from a file, with the line it starts on.
public struct LocatedTag: Hashable, Sendable {
    public var tag: Tag
    /// 1-based line of the row, object or TagPack entry.
    public var line: Int

    public init(tag: Tag, line: Int) {
        self.tag = tag
        self.line = line
    }
}

/// A tag as stored in the index.
public struct StoredTag: Hashable, Sendable {
    /// Row id in the `tag` table.
    public var id: Int64
    public var tag: Tag
    /// The `tag_import` row it came from, if any.
    public var importBatch: Int64?

    public init(id: Int64, tag: Tag, importBatch: Int64?) {
        self.id = id
        self.tag = tag
        self.importBatch = importBatch
    }
}
