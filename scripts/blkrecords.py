"""The block records of Bitcoin Core blk*.dat files (magic, LE size, block), for the scripts here."""
import struct


def records(paths):
    """Yields each block's bytes, file by file, stopping at a file's zero-filled tail."""
    for path in paths:
        data = open(path, 'rb').read()
        pos = 0
        while pos + 8 <= len(data):
            _, size = struct.unpack_from('<II', data, pos)
            if size == 0:
                break
            yield data[pos + 8:pos + 8 + size]
            pos += 8 + size
