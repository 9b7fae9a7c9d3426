#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A read-only memory map of a whole file. The bytes are never copied; the map lives as long
/// as this object.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    private let base: UnsafeMutableRawPointer?

    /// Maps `path` read-only.
    /// - Throws: ``BlockFileError/unreadable(file:reason:)`` when the file cannot be opened or mapped.
    public init(path: String) throws(BlockFileError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(file: path, reason: "is a directory") }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        madvise(p, count, MADV_SEQUENTIAL)
        base = p
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// Drops the mapped pages covering `range` from memory, so a long import's resident memory
    /// does not grow with the input. The map is private and read-only: a dropped page that is
    /// touched again (a neighbouring record sharing it) is simply read from the file again.
    public func release(_ range: Range<Int>) {
        guard let base, !range.isEmpty else { return }
        let start = range.lowerBound / MappedFile.pageSize * MappedFile.pageSize
        let end = min(count, (range.upperBound + MappedFile.pageSize - 1) / MappedFile.pageSize * MappedFile.pageSize)
        guard end > start else { return }
        madvise(base + start, end - start, MADV_DONTNEED)
    }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// The mapped bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
