/// Classifies outputs and derives addresses (runs on worker threads).
///
/// Classification follows the chain's node: Bitcoin Core's templates, then the network's
/// ``WitnessOutputRule`` (on Bitcoin Cash a witness-shaped script is nonstandard; on Dogecoin a
/// v0 program keeps its type but has no address). A script is kept in `output_script` when the
/// output has no address (multisig, OP_RETURN, non-standard, witness types without address) and
/// for P2PK, whose key also yields the owner's other address forms.
enum OutputPreparer {
    /// The prepared outputs of `block`, whose serialization is `bytes`.
    /// - Parameter witnessOutputs: the network's rule (``Network/witnessOutputs``; the block
    ///   file carries it as ``BlockFile/witnessOutputs``).
    static func prepare(_ block: ParsedBlock, _ bytes: UnsafeRawBufferPointer,
                        witnessOutputs: WitnessOutputRule) -> [PreparedOutput] {
        var out = [PreparedOutput]()
        out.reserveCapacity(block.outputs.count)
        for o in block.outputs {
            let script = UnsafeRawBufferPointer(rebasing: bytes[Int(o.scriptOffset)..<Int(o.scriptOffset + o.scriptLength)])
            out.append(prepare(script: script, witnessOutputs: witnessOutputs))
        }
        return out
    }

    /// One output script (also an explorer prevout's).
    static func prepare(script: UnsafeRawBufferPointer, witnessOutputs: WitnessOutputRule) -> PreparedOutput {
        let (c, address) = witnessOutputs.classify(script)
        var p = PreparedOutput(type: c.type, address: address, script: nil, ownerKeys: nil)
        switch c.type {
        case .pubkey:
            p.script = Array(script)
            let keyBytes = UnsafeRawBufferPointer(rebasing: script[c.payloadOffset..<(c.payloadOffset + c.payloadLength)])
            p.ownerKeys = PublicKey(keyBytes)?.ownerAddressKeys
        case .multisig, .nulldata, .nonstandard:
            p.script = Array(script)
        default:
            // A witness type on a chain where it has no address (Dogecoin): the script is
            // all there is to identify the owner. Never reached on segwit chains.
            if address == nil { p.script = Array(script) }
        }
        return p
    }
}
