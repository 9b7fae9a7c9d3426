import Foundation

/// Errors reading block JSON; each names the file and the line (or block) at fault.
public enum BlockJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformed(file: String, line: Int, reason: String)
    case mismatch(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): \(reason)"
        case .malformed(let file, let line, let reason): return "\(file):\(line): \(reason)"
        case .mismatch(let file, let line, let reason): return "\(file):\(line): \(reason)"
        }
    }
}

/// Bitcoin Core's `getblock <hash> 2` (or 3) responses, turned back into the block's exact bytes:
/// the header from `version`, `previousblockhash`, `merkleroot`, `time`, `bits` and `nonce`, the
/// body from every transaction's `hex`. Nothing else in the JSON is trusted: the rebuilt header
/// must hash to the JSON's `hash`, every transaction's bytes to its `txid`, and the import
/// pipeline then checks the merkle root like any block. Both the pre-v22 (`addresses` arrays) and
/// current (`address`) shapes work, because addresses are derived from the scripts, not read.
///
/// Accepted layouts: one response per file, responses wrapped as `{"result": …}`, a JSON array of
/// them, or NDJSON (one per line).
public enum RPCBlockJSON {
    /// One rebuilt block with where it came from.
    public struct Block: Sendable {
        public var bytes: [UInt8]
        public var hash: Hash256
        public var line: Int
    }

    /// The blocks of one file, in file order.
    public static func blocks(file path: String) throws(BlockJSONError) -> [Block] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(file: path, reason: "cannot read the file") }
        return try blocks(data: data, file: path)
    }

    /// Calls `body` with each block of an NDJSON file as it is read (memory bounded by one line),
    /// and returns true; returns false, having read nothing, when the file is not NDJSON (its first
    /// non-empty line is not a JSON object on its own).
    public static func streamNDJSON(file path: String, _ body: (Block) throws(BlockJSONError) -> Void) throws(BlockJSONError) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable(file: path, reason: "cannot read the file") }
        defer { try? handle.close() }
        var pending = [UInt8]()
        var lineNumber = 0
        var decided = false
        func handleLine(_ raw: ArraySlice<UInt8>) throws(BlockJSONError) -> Bool {
            lineNumber += 1
            var line = raw
            if line.last == 0x0D { line = line.dropLast() }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return true }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(line)) } catch {
                if !decided { return false }
                throw .malformed(file: path, line: lineNumber, reason: "not JSON: \(Self.reason(error))")
            }
            if !decided {
                guard object is [String: Any] else { return false }
                decided = true
            }
            try body(try block(object, file: path, line: lineNumber))
            return true
        }
        while true {
            let chunk = handle.readData(ofLength: 1 << 22)
            if chunk.isEmpty { break }
            pending += chunk
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                guard try handleLine(pending[start..<newline]) else { return false }
                start = newline + 1
            }
            pending.removeFirst(start - pending.startIndex)
        }
        if !pending.isEmpty { guard try handleLine(pending[...]) else { return false } }
        return decided
    }

    static func blocks(data: Data, file path: String) throws(BlockJSONError) -> [Block] {
        // NDJSON when more than one non-empty line parses on its own; otherwise one document.
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let nonEmpty = lines.enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        if nonEmpty.count > 1, let first = nonEmpty.first,
            (try? JSONSerialization.jsonObject(with: Data(first.element.utf8))) is [String: Any]
        {
            var out: [Block] = []
            for (i, line) in nonEmpty {
                let object: Any
                do { object = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
                    throw .malformed(file: path, line: i + 1, reason: "not JSON: \(Self.reason(error))")
                }
                out.append(try block(object, file: path, line: i + 1))
            }
            return out
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .malformed(file: path, line: Self.line(of: error, in: text), reason: "not JSON: \(Self.reason(error))")
        }
        if let array = object as? [Any] {
            var out: [Block] = []
            for item in array { out.append(try block(item, file: path, line: 1)) }
            return out
        }
        return [try block(object, file: path, line: 1)]
    }

    /// Rebuilds one block from one response.
    static func block(_ object: Any, file: String, line: Int) throws(BlockJSONError) -> Block {
        guard var fields = object as? [String: Any] else {
            throw .malformed(file: file, line: line, reason: "a block must be a JSON object")
        }
        if let result = fields["result"] as? [String: Any] { fields = result }
        func string(_ key: String) throws(BlockJSONError) -> String {
            guard let v = fields[key] as? String else { throw .malformed(file: file, line: line, reason: "missing or non-string '\(key)'") }
            return v
        }
        func integer(_ key: String) throws(BlockJSONError) -> Int64 {
            guard let n = fields[key] as? NSNumber, let v = Int64(exactly: n.doubleValue)
            else { throw .malformed(file: file, line: line, reason: "missing or non-integer '\(key)'") }
            return v
        }
        func hash(_ key: String) throws(BlockJSONError) -> Hash256 {
            guard let h = Hash256(hex: try string(key)) else {
                throw .malformed(file: file, line: line, reason: "'\(key)' is not a 64-digit hex hash")
            }
            return h
        }
        let claimed = try hash("hash")
        let previous = fields["previousblockhash"] == nil ? Hash256.zero : try hash("previousblockhash")
        let merkle = try hash("merkleroot")
        let version = try integer("version"), time = try integer("time"), nonce = try integer("nonce")
        guard let bits = UInt32(try string("bits"), radix: 16) else {
            throw .malformed(file: file, line: line, reason: "'bits' is not hex")
        }
        guard let txs = fields["tx"] as? [Any] else {
            throw .malformed(file: file, line: line, reason: "missing 'tx' array (use getblock verbosity 2 or 3)")
        }
        guard (Int64(Int32.min)...Int64(UInt32.max)).contains(version), (0...Int64(UInt32.max)).contains(time),
            (0...Int64(UInt32.max)).contains(nonce)
        else { throw .malformed(file: file, line: line, reason: "version, time or nonce out of range") }

        let header = BlockHeader(
            version: Int32(truncatingIfNeeded: version), previousHash: previous, merkleRoot: merkle,
            time: UInt32(time), bits: bits, nonce: UInt32(nonce))
        var bytes = header.serialized
        guard header.hash == claimed else {
            throw .mismatch(
                file: file, line: line,
                reason: "the header rebuilt from the JSON hashes to \(header.hash.hex), not to its 'hash' \(claimed.hex)")
        }
        bytes.appendCompactSize(txs.count)
        for (i, item) in txs.enumerated() {
            guard let tx = item as? [String: Any] else {
                throw .malformed(
                    file: file, line: line, reason: "transaction \(i) of block \(claimed.hex) is not an object (use verbosity 2 or 3)")
            }
            guard let hex = tx["hex"] as? String, let raw = Hex.decode(hex) else {
                throw .malformed(file: file, line: line, reason: "transaction \(i) of block \(claimed.hex) has no valid 'hex'")
            }
            if let txid = (tx["txid"] as? String).flatMap(Hash256.init(hex:)) {
                let computed = BlockParser.parseTransaction(bytes: raw)?.transaction.txid
                guard computed == txid else {
                    throw .mismatch(
                        file: file, line: line, reason: "transaction \(i) of block \(claimed.hex): its 'hex' is not transaction \(txid.hex)"
                    )
                }
            }
            bytes += raw
        }
        return Block(bytes: bytes, hash: claimed, line: line)
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    /// The line of a JSONSerialization error's character index, when it gives one.
    private static func line(of error: Error, in text: String) -> Int {
        let ns = error as NSError
        guard let index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int else { return 1 }
        return text.utf8.prefix(index).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
