import Foundation

/// Appends block records (magic, little-endian size, block bytes) to the temporary block files of
/// a blockchain-etl import as the blocks are rebuilt, through one buffer and one open file at a
/// time (a partitioned export may have thousands of files).
final class ETLBlockWriter {
    let magic: [UInt8]
    private var path: String?
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    static let flushSize = 1 << 22

    init(magic: [UInt8]) { self.magic = magic }

    deinit { try? handle?.close() }

    /// Creates (or empties) each file.
    static func create(_ paths: [String]) throws(BlockJSONError) {
        for path in paths where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw .unreadable(file: path, reason: "cannot write a temporary block file")
        }
    }

    /// Appends one block's record to `path` (a file made by `create`).
    func append(_ block: [UInt8], to path: String) throws(BlockJSONError) {
        if path != self.path {
            try close()
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw .unreadable(file: path, reason: "cannot write a temporary block file")
            }
            do { try handle.seekToEnd() } catch { throw .unreadable(file: path, reason: "cannot write a temporary block file: \(error)") }
            self.handle = handle
            self.path = path
        }
        buffer += magic
        buffer.appendLE(UInt32(block.count))
        buffer += block
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Writes what is buffered and closes the file.
    func close() throws(BlockJSONError) {
        try flush()
        if let handle { try? handle.close() }
        handle = nil
        path = nil
    }

    private func flush() throws(BlockJSONError) {
        guard !buffer.isEmpty, let handle, let path else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw .unreadable(file: path, reason: "cannot write a temporary block file: \(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
