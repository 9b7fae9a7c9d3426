import Foundation
import Tracer

/// What a finding computes: the kind, the subject and the parameters, convertible to and from
/// the stable `[String: String]` stored with the finding (what a recomputation re-runs with).
///
/// Stored parameter keys, per kind:
///
/// | kind | keys |
/// |---|---|
/// | `trace` | `direction` (forward, backward), `model` (poison, haircut, fifo, all), `hops`, `min_value`, `max_nodes`, `layer` |
/// | `exposure` | `model` (poison, haircut, fifo), `hops`, `max_nodes`, `layer` |
/// | `payments` | `layer` |
public struct FindingSpecification: Sendable, Equatable {
    public var kind: FindingKind
    public var subject: String
    /// `poison`, `haircut`, `fifo`, or (trace only) `all`.
    public var model: String
    public var hops: Int
    /// Trace only: where the money came from instead of where it went.
    public var backward: Bool
    public var layer: ClusterLayer
    public var maxNodes: Int
    /// Trace only: flows under this many satoshis are not followed.
    public var minValue: Int64

    /// Defaults as on the command line: trace 6 hops, exposure 3 hops, haircut model, strict layer.
    public init(
        kind: FindingKind, subject: String, model: String? = nil, hops: Int? = nil, backward: Bool = false,
        layer: ClusterLayer = .strict, maxNodes: Int = 10_000, minValue: Int64 = 0
    ) {
        self.kind = kind
        self.subject = subject.trimmingCharacters(in: .whitespacesAndNewlines)
        self.model = model ?? "haircut"
        self.hops = hops ?? (kind == .exposure ? 3 : 6)
        self.backward = backward
        self.layer = layer
        self.maxNodes = maxNodes
        self.minValue = minValue
    }

    /// Reads stored parameters back.
    /// - Throws: ``CaseworkError/invalidParameter(name:value:expected:)`` for a missing or malformed value.
    public init(kind: FindingKind, subject: String, parameters: [String: String]) throws {
        func value(_ name: String) throws -> String {
            guard let v = parameters[name] else { throw CaseworkError.invalidParameter(name: name, value: "", expected: "a value") }
            return v
        }
        func integer(_ name: String) throws -> Int64 {
            let text = try value(name)
            guard let n = Int64(text) else { throw CaseworkError.invalidParameter(name: name, value: text, expected: "an integer") }
            return n
        }
        let layerName = try value("layer")
        guard let layer = ClusterLayer(name: layerName) else {
            throw CaseworkError.invalidParameter(name: "layer", value: layerName, expected: "strict or extended")
        }
        self.init(kind: kind, subject: subject, layer: layer)
        switch kind {
        case .trace:
            let direction = try value("direction")
            guard direction == "forward" || direction == "backward" else {
                throw CaseworkError.invalidParameter(name: "direction", value: direction, expected: "forward or backward")
            }
            backward = direction == "backward"
            model = try value("model")
            hops = Int(clamping: try integer("hops"))
            minValue = try integer("min_value")
            maxNodes = Int(clamping: try integer("max_nodes"))
        case .exposure:
            model = try value("model")
            hops = Int(clamping: try integer("hops"))
            maxNodes = Int(clamping: try integer("max_nodes"))
        case .payments:
            break
        }
        try validate()
    }

    /// The parameters as stored (stable keys; only those that apply to the kind).
    public var parameters: [String: String] {
        switch kind {
        case .trace:
            return [
                "direction": backward ? "backward" : "forward", "model": model, "hops": String(hops), "min_value": String(minValue),
                "max_nodes": String(maxNodes), "layer": layer.description,
            ]
        case .exposure:
            return ["model": model, "hops": String(hops), "max_nodes": String(maxNodes), "layer": layer.description]
        case .payments:
            return ["layer": layer.description]
        }
    }

    /// The equivalent command line, e.g. `spoor trace --layer strict --model haircut --hops 6 … SUBJECT`.
    public var command: String {
        var words = ["spoor", kind.rawValue, "--layer", layer.description]
        switch kind {
        case .trace:
            words += ["--model", model, "--hops", String(hops), "--min-value", String(minValue), "--max-nodes", String(maxNodes)]
            if backward { words.append("--backward") }
        case .exposure:
            words += ["--model", model, "--hops", String(hops), "--max-nodes", String(maxNodes)]
        case .payments:
            break
        }
        words.append(Self.shellQuoted(subject))
        return words.joined(separator: " ")
    }

    /// Checks the values.
    /// - Throws: ``CaseworkError/invalidParameter(name:value:expected:)``, ``CaseworkError/emptyField(_:)``.
    public func validate() throws {
        if subject.isEmpty { throw CaseworkError.emptyField("the subject") }
        switch kind {
        case .trace:
            guard model == "all" || TaintModel(rawValue: model) != nil else {
                throw CaseworkError.invalidParameter(name: "model", value: model, expected: "poison, haircut, fifo or all")
            }
        case .exposure:
            guard TaintModel(rawValue: model) != nil else {
                throw CaseworkError.invalidParameter(name: "model", value: model, expected: "poison, haircut or fifo")
            }
        case .payments:
            return
        }
        guard hops >= 1 else { throw CaseworkError.invalidParameter(name: "hops", value: String(hops), expected: "at least 1") }
        guard maxNodes >= 1 else {
            throw CaseworkError.invalidParameter(name: "max_nodes", value: String(maxNodes), expected: "at least 1")
        }
        guard minValue >= 0 else {
            throw CaseworkError.invalidParameter(name: "min_value", value: String(minValue), expected: "0 or more")
        }
    }

    /// The taint models to run: one, or all three for `all`.
    var models: [TaintModel] {
        model == "all" ? TaintModel.allCases : TaintModel(rawValue: model).map { [$0] } ?? []
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || ":._-".unicodeScalars.contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
