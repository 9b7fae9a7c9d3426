import ChainIndex
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered, write-only file (C stdio underneath, 1 MiB buffer).
final class OutputFile {
    let path: String
    private var handle: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 20
    private(set) var written: Int64 = 0

    init(path: String) throws(SynthError) {
        self.path = path
        guard let h = fopen(path, "wb") else {
            throw .io(path: path, operation: "create", reason: String(cString: strerror(errno)))
        }
        handle = h
        buffer.reserveCapacity(OutputFile.flushThreshold + 65_536)
    }

    deinit { if let h = handle { fclose(h) } }

    func write(_ bytes: [UInt8]) throws(SynthError) {
        buffer.append(contentsOf: bytes)
        written += Int64(bytes.count)
        if buffer.count >= OutputFile.flushThreshold { try flush() }
    }

    func write<C: Collection>(contentsOf bytes: C) throws(SynthError) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        written += Int64(bytes.count)
        if buffer.count >= OutputFile.flushThreshold { try flush() }
    }

    func write(_ text: String) throws(SynthError) {
        try write(contentsOf: text.utf8)
    }

    func flush() throws(SynthError) {
        guard let h = handle else { return }
        if !buffer.isEmpty {
            let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, h) }
            if n != buffer.count {
                throw .io(path: path, operation: "write", reason: String(cString: strerror(errno)))
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func close() throws(SynthError) {
        try flush()
        if let h = handle {
            handle = nil
            if fclose(h) != 0 {
                throw .io(path: path, operation: "close", reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// Writes `blkNNNNN.dat` files: records `magic size block`, a new file whenever the next record
/// would pass the size limit, optional XOR obfuscation by file offset (Core 28+), and an optional
/// zero tail on the last file. The tail is raw zeros on disk even when the file is obfuscated,
/// as Core's preallocation (fallocate) leaves it.
final class BlockFileWriter {
    let directory: String
    let magic: [UInt8]
    let maxFileSize: Int
    let xorKey: [UInt8]?
    private var file: OutputFile?
    private var fileIndex = -1
    private var fileSize = 0
    private(set) var fileNames: [String] = []
    private(set) var totalBytes: Int64 = 0
    private var scratch: [UInt8] = []

    init(directory: String, magic: [UInt8], maxFileSize: Int, xorKey: [UInt8]?) {
        self.directory = directory; self.magic = magic; self.maxFileSize = maxFileSize; self.xorKey = xorKey
    }

    private func openNext() throws(SynthError) {
        try file?.close()
        fileIndex += 1
        let name = String(format: "blk%05d.dat", fileIndex)
        file = try OutputFile(path: directory + "/" + name)
        fileNames.append("blocks/" + name)
        fileSize = 0
    }

    func writeBlock(_ block: [UInt8]) throws(SynthError) {
        let recordSize = 8 + block.count
        if file == nil || (fileSize > 0 && fileSize + recordSize > maxFileSize) { try openNext() }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: magic)
        scratch.appendLE(UInt32(block.count))
        scratch.append(contentsOf: block)
        if let key = xorKey {
            let offset = fileSize
            scratch.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] ^= key[(offset + i) & 7] }
            }
        }
        try file!.write(scratch)
        fileSize += recordSize
        totalBytes += Int64(recordSize)
    }

    /// Closes the last file, first padding it with zeros up to a multiple of `padChunk` bytes.
    func finish(padChunk: Int?) throws(SynthError) {
        if file == nil { try openNext() }
        if let chunk = padChunk {
            var target = (fileSize + chunk - 1) / chunk * chunk
            if target == fileSize { target += chunk }
            target = min(target, max(maxFileSize, fileSize))
            let zeros = [UInt8](repeating: 0, count: 1 << 16)
            var left = target - fileSize
            while left > 0 {
                let n = min(left, zeros.count)
                try file!.write(contentsOf: zeros[0..<n])
                left -= n
            }
            totalBytes += Int64(target - fileSize)
            fileSize = target
        }
        try file!.close()
        file = nil
    }
}

/// Receives blocks in generation order and hands them to the file writer, optionally out of
/// height order within small windows (as Core stores blocks that arrive from parallel downloads).
struct BlockShuffler {
    private var pending: [[UInt8]] = []
    private var window: Int
    private var rng: Xoshiro256
    let enabled: Bool

    init(enabled: Bool, seed: UInt64) {
        self.enabled = enabled
        self.rng = Xoshiro256(seed: SplitMix64.mix(seed ^ 0x5348_5546))   // "SHUF"
        self.window = 3
    }

    mutating func push(_ block: [UInt8], to writer: BlockFileWriter) throws(SynthError) {
        guard enabled else { return try writer.writeBlock(block) }
        pending.append(block)
        if pending.count >= window {
            let i = rng.below(pending.count)
            let b = pending.remove(at: i)
            try writer.writeBlock(b)
            window = rng.int(2...5)
        }
    }

    mutating func flush(to writer: BlockFileWriter) throws(SynthError) {
        while !pending.isEmpty {
            let b = pending.remove(at: rng.below(pending.count))
            try writer.writeBlock(b)
        }
    }
}

/// Minimal JSON string escaping for the truth files.
func jsonString(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default:
            if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
        }
    }
    return out + "\""
}
