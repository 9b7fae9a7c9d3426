import ChainIndex

/// An input to serialize: the outpoint, the owner of the spent output (for its key material)
/// and the sequence number.
struct SpendInput {
    var txid: Hash256
    var vout: UInt32
    var owner: AddrRef
    var sequence: UInt32
}

/// An output to serialize.
struct TxOutput {
    var value: Int64
    var script: [UInt8]
}

extension Array where Element == UInt8 {
    /// Appends an output list in wire format: count, then value and script of each output.
    mutating func appendOutputs(_ outputs: [TxOutput]) {
        appendCompactSize(outputs.count)
        for output in outputs {
            appendLE(UInt64(bitPattern: output.value))
            appendCompactSize(output.script.count)
            append(contentsOf: output.script)
        }
    }
}

/// Serializes the transactions of one block, computes txids and wtxids as it goes (a later
/// transaction of the same block may spend an earlier one), and assembles the finished block
/// with its coinbase, merkle root and BIP141 witness commitment.
struct BlockBuilder {
    /// Non-coinbase transactions, serialized back to back.
    private(set) var body: [UInt8] = []
    private(set) var txids: [Hash256] = []
    private(set) var wtxids: [Hash256] = []
    private(set) var fees: [Int64] = []
    /// End offset of each transaction in `body`.
    private(set) var ends: [Int] = []
    private(set) var witnessFlags: [Bool] = []
    private(set) var inputCounts: [Int] = []
    private(set) var outputCounts: [Int] = []

    let keys: KeyDeriver
    private var sigRng: Xoshiro256

    init(keys: KeyDeriver, seed: UInt64) {
        self.keys = keys
        self.sigRng = Xoshiro256(seed: SplitMix64.mix(seed ^ 0x5349_4753))   // "SIGS"
        body.reserveCapacity(1 << 20)
    }

    var count: Int { txids.count }

    mutating func reset() {
        body.removeAll(keepingCapacity: true)
        txids.removeAll(keepingCapacity: true); wtxids.removeAll(keepingCapacity: true)
        fees.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true)
        witnessFlags.removeAll(keepingCapacity: true)
        inputCounts.removeAll(keepingCapacity: true); outputCounts.removeAll(keepingCapacity: true)
    }

    // MARK: fake signatures

    /// A DER-shaped ECDSA signature with SIGHASH_ALL: 72 bytes (r with its leading zero, low s).
    @inline(__always) private mutating func appendECDSASignature() {
        BlockBuilder.appendECDSASignature(&body, &sigRng)
    }

    @inline(__always) private static func appendECDSASignature(_ out: inout [UInt8], _ sigRng: inout Xoshiro256) {
        out.append(0x30); out.append(0x45)
        out.append(0x02); out.append(0x21); out.append(0x00)
        let r0 = sigRng.next() | 0x80
        out.appendLE(r0); out.appendLE(sigRng.next()); out.appendLE(sigRng.next()); out.appendLE(sigRng.next())
        out.append(0x02); out.append(0x20)
        let s0 = (sigRng.next() & ~0x80) | 0x01
        out.appendLE(s0); out.appendLE(sigRng.next()); out.appendLE(sigRng.next()); out.appendLE(sigRng.next())
        out.append(0x01)
    }

    @inline(__always) private mutating func appendSchnorrSignature() {
        for _ in 0..<8 { body.appendLE(sigRng.next()) }
    }

    // MARK: transactions

    /// Appends a transaction and returns its txid. `fee` is only recorded (the caller balanced
    /// inputs and outputs); `expectedVSize`, when given, is checked against the serialization.
    @discardableResult
    mutating func append(version: Int32, inputs: [SpendInput], outputs: [TxOutput], lockTime: UInt32,
                         fee: Int64) -> Hash256 {
        let hasWitness = inputs.contains { $0.owner.type.isWitness }
        let start = body.count
        body.appendLE(UInt32(bitPattern: version))
        if hasWitness { body.append(0x00); body.append(0x01) }
        let bodyStart = body.count
        body.appendCompactSize(inputs.count)
        for input in inputs {
            input.txid.appendBytes(to: &body)
            body.appendLE(input.vout)
            switch input.owner.type {
            case .p2pkh:
                body.append(UInt8(input.owner.type.scriptSigLength))
                body.append(72)
                appendECDSASignature()
                body.append(33)
                keys.publicKey(input.owner, into: &body)
            case .p2shP2wpkh:
                body.append(23); body.append(22); body.append(0x00); body.append(0x14)
                body.append(contentsOf: keys.keyHash(input.owner))
            case .p2wpkh, .p2tr, .p2wsh:
                body.append(0)
            }
            body.appendLE(input.sequence)
        }
        body.appendOutputs(outputs)
        let bodyEnd = body.count
        if hasWitness {
            for input in inputs {
                switch input.owner.type {
                case .p2pkh:
                    body.append(0)
                case .p2wpkh, .p2shP2wpkh:
                    body.append(2); body.append(72); appendECDSASignature()
                    body.append(33); keys.publicKey(input.owner, into: &body)
                case .p2tr:
                    body.append(1); body.append(64); appendSchnorrSignature()
                case .p2wsh:
                    body.append(4); body.append(0)
                    body.append(72); appendECDSASignature()
                    body.append(72); appendECDSASignature()
                    body.append(105); body.append(contentsOf: keys.witnessScript(input.owner))
                }
            }
        }
        let lockTimeOffset = body.count
        body.appendLE(lockTime)
        let end = body.count
        let (txid, wtxid): (Hash256, Hash256) = body.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            if hasWitness {
                let t = Hashing.sha256d(UnsafeRawBufferPointer(start: base + start, count: 4),
                                        UnsafeRawBufferPointer(start: base + bodyStart, count: bodyEnd - bodyStart),
                                        UnsafeRawBufferPointer(start: base + lockTimeOffset, count: 4))
                return (t, Hashing.sha256d(base + start, end - start))
            }
            let t = Hashing.sha256d(base + start, end - start)
            return (t, t)
        }
        txids.append(txid); wtxids.append(wtxid); fees.append(fee); ends.append(end)
        witnessFlags.append(hasWitness)
        inputCounts.append(inputs.count); outputCounts.append(outputs.count)
        return txid
    }

    // MARK: blocks

    /// A finished, serialized block.
    struct Block {
        var bytes: [UInt8]
        var hash: Hash256
        var header: BlockHeader
        var txCount: Int
        var inputCount: Int
        var outputCount: Int
        var witnessTxCount: Int
        var fees: Int64
        var coinbaseTxid: Hash256
        var coinbaseOutputs: [TxOutput]
    }

    /// Assembles a block from the first `prefix` transactions (all by default) and a coinbase
    /// paying `reward(fees)` to `payouts` (value shares computed by the caller through `reward`).
    func assemble(height: Int, previous: Hash256, time: UInt32, prefix: Int? = nil,
                  coinbaseTag: [UInt8], extraNonce: UInt64,
                  payouts: (Int64) -> [TxOutput]) -> Block {
        let n = prefix ?? count
        let fee = fees[0..<n].reduce(0, +)
        let witness = witnessFlags[0..<n].contains(true)
        var cbOutputs = payouts(fee)
        if witness {
            var leaves = [Hash256.zero]
            leaves.append(contentsOf: wtxids[0..<n])
            let witnessRoot = Merkle.root(leaves)
            var buf = witnessRoot.bytes
            buf.append(contentsOf: [UInt8](repeating: 0, count: 32))   // witness reserved value
            let commitment = Hashing.sha256d(buf)
            cbOutputs.append(TxOutput(value: 0, script: [0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed] + commitment.bytes))
        }
        // Coinbase: BIP34 height, extra nonce, pool tag.
        var scriptSig = Script.heightPush(height)
        var en = [UInt8](); en.appendLE(extraNonce)
        scriptSig.append(UInt8(en.count)); scriptSig.append(contentsOf: en)
        let tag = Array(coinbaseTag.prefix(100 - scriptSig.count - 1))
        if !tag.isEmpty { scriptSig.append(UInt8(tag.count)); scriptSig.append(contentsOf: tag) }

        var cb = [UInt8]()
        cb.reserveCapacity(200)
        cb.appendLE(UInt32(2))
        if witness { cb.append(0x00); cb.append(0x01) }
        let cbBodyStart = cb.count
        cb.append(1)
        cb.append(contentsOf: [UInt8](repeating: 0, count: 32))
        cb.appendLE(UInt32.max)
        cb.appendCompactSize(scriptSig.count)
        cb.append(contentsOf: scriptSig)
        cb.appendLE(UInt32.max)
        cb.appendOutputs(cbOutputs)
        let cbBodyEnd = cb.count
        if witness {
            cb.append(1); cb.append(32)
            cb.append(contentsOf: [UInt8](repeating: 0, count: 32))
        }
        cb.appendLE(UInt32(0))
        var stripped = [UInt8](cb[0..<4])
        stripped.append(contentsOf: cb[cbBodyStart..<cbBodyEnd])
        stripped.appendLE(UInt32(0))
        let cbTxid = Hashing.sha256d(stripped)

        var leaves = [cbTxid]
        leaves.reserveCapacity(n + 1)
        leaves.append(contentsOf: txids[0..<n])
        let root = Merkle.root(leaves)
        var header = BlockHeader(version: 0x2000_0000, previousHash: previous, merkleRoot: root,
                                 time: time, bits: 0x207f_ffff, nonce: 0)
        let hash = BlockBuilder.grind(&header)

        let bodyBytes = n == 0 ? 0 : ends[n - 1]
        var block = [UInt8]()
        block.reserveCapacity(80 + 5 + cb.count + bodyBytes)
        block.append(contentsOf: header.serialized)
        block.appendCompactSize(n + 1)
        block.append(contentsOf: cb)
        block.append(contentsOf: body[0..<bodyBytes])
        let inputs = inputCounts[0..<n].reduce(1, +)
        let outputs = outputCounts[0..<n].reduce(cbOutputs.count, +)
        let wtx = witnessFlags[0..<n].reduce(0) { $0 + ($1 ? 1 : 0) } + (witness ? 1 : 0)
        return Block(bytes: block, hash: hash, header: header, txCount: n + 1, inputCount: inputs,
                     outputCount: outputs, witnessTxCount: wtx, fees: fee,
                     coinbaseTxid: cbTxid, coinbaseOutputs: cbOutputs)
    }

    /// Finds a nonce meeting the regtest target (0x207fffff: about every other hash does).
    static func grind(_ header: inout BlockHeader) -> Hash256 {
        var bytes = header.serialized
        var nonce: UInt32 = 0
        while true {
            bytes.withUnsafeMutableBytes { $0.storeBytes(of: nonce.littleEndian, toByteOffset: 76, as: UInt32.self) }
            let h = Hashing.sha256d(bytes)
            // target = 0x7fffff << 232: the top word must stay below 0x7fffff << 40.
            if h.w3 < 0x7fff_ff00_0000_0000 {
                header.nonce = nonce
                return h
            }
            nonce &+= 1
        }
    }
}

extension Hash256 {
    @inline(__always) func appendBytes(to out: inout [UInt8]) {
        out.appendLE(w0); out.appendLE(w1); out.appendLE(w2); out.appendLE(w3)
    }
}

/// The regtest genesis block, byte for byte.
enum Genesis {
    static let coinbaseScriptSig: [UInt8] = Hex.decode(
        "04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73")!
    static let outputScript: [UInt8] = Hex.decode(
        "4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac")!

    static var regtestBlock: [UInt8] {
        var tx = [UInt8]()
        tx.appendLE(UInt32(1))
        tx.append(1)
        tx.append(contentsOf: [UInt8](repeating: 0, count: 32))
        tx.appendLE(UInt32.max)
        tx.appendCompactSize(coinbaseScriptSig.count)
        tx.append(contentsOf: coinbaseScriptSig)
        tx.appendLE(UInt32.max)
        tx.append(1)
        tx.appendLE(UInt64(50 * 100_000_000))
        tx.appendCompactSize(outputScript.count)
        tx.append(contentsOf: outputScript)
        tx.appendLE(UInt32(0))
        let root = Hashing.sha256d(tx)
        let header = BlockHeader(version: 1, previousHash: .zero, merkleRoot: root, time: 1_296_688_602,
                                 bits: 0x207f_ffff, nonce: 2)
        return header.serialized + [1] + tx
    }
}
