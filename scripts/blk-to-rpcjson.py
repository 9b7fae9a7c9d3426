#!/usr/bin/env python3
"""Writes Bitcoin Core `getblock <hash> 2`-shaped NDJSON (the fields Spoor reads: hash,
previousblockhash, merkleroot, version, time, bits, nonce, height, tx[{txid, hex}]) for the blocks
of blk*.dat files, independently of Spoor (python-bitcoinlib). For benchmarks and tests.

Usage: blk-to-rpcjson.py OUT.ndjson blk00000.dat [blk00001.dat ...]
"""
import json, struct, sys
from bitcoin.core import CBlock, b2lx

out = open(sys.argv[1], 'w')
n = 0
for path in sys.argv[2:]:
    data = open(path, 'rb').read()
    pos = 0
    while pos + 8 <= len(data):
        magic, size = struct.unpack_from('<II', data, pos)
        if size == 0:
            break
        b = CBlock.deserialize(data[pos + 8:pos + 8 + size])
        pos += 8 + size
        rec = {
            'hash': b2lx(b.GetHash()), 'previousblockhash': b2lx(b.hashPrevBlock), 'merkleroot': b2lx(b.hashMerkleRoot),
            'version': b.nVersion, 'time': b.nTime, 'bits': '%08x' % b.nBits, 'nonce': b.nNonce,
            'tx': [{'txid': b2lx(tx.GetTxid()), 'hex': tx.serialize().hex()} for tx in b.vtx],
        }
        out.write(json.dumps(rec, separators=(',', ':')) + '\n')
        n += 1
print(n, 'blocks')
