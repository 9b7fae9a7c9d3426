import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files only their owner may read or write (mode 0600): the casework database and the audit
/// head sidecar. Created with that mode from the start (never created readable, then narrowed).
enum OwnerOnlyFile {
    /// Bits that give group or others any access.
    static let groupOtherBits: mode_t = 0o077

    /// Creates `path` empty with mode 0600 when it does not exist; checks the mode when it does.
    /// - Throws: ``CaseworkError/insecurePermissions(path:mode:)`` when group or others have any
    ///   access to an existing file, ``CaseworkError/file(path:operation:reason:)`` on a system error.
    static func ensure(_ path: String) throws {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        guard errno == EEXIST else { throw CaseworkError.file(path: path, operation: "create", reason: systemError()) }
        try check(path)
    }

    /// Checks that an existing file gives group and others no access.
    static func check(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CaseworkError.file(path: path, operation: "inspect", reason: systemError()) }
        if info.st_mode & groupOtherBits != 0 {
            throw CaseworkError.insecurePermissions(path: path, mode: String(info.st_mode & 0o777, radix: 8))
        }
    }

    /// The permission bits of `path` (e.g. `0o600`), or nil when it does not exist.
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    /// Replaces `path` with `data` atomically: a new 0600 file beside it, synced, then renamed over it.
    static func replace(_ path: String, with data: Data) throws {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CaseworkError.file(path: temporary, operation: "create", reason: systemError()) }
        let written = data.withUnsafeBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                offset += n
            }
            return offset
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else {
            let reason = systemError()
            unlink(temporary)
            throw CaseworkError.file(path: path, operation: "write", reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = systemError()
            unlink(temporary)
            throw CaseworkError.file(path: path, operation: "replace", reason: reason)
        }
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}
