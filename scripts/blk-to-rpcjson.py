#!/usr/bin/env python3
"""Writes Bitcoin Core `getblock <hash> 2`-shaped NDJSON (the fields Spoor reads: hash,
previousblockhash, merkleroot, version, time, bits, nonce, height, tx[{txid, hex}]) for the blocks
of blk*.dat files, independently of Spoor (python-bitcoinlib). For benchmarks and tests.

Usage: blk-to-rpcjson.py OUT.ndjson blk00000.dat [blk00001.dat ...]
"""
import json, os, sys
from bitcoin.core import CBlock, b2lx
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blkrecords import records  # noqa: E402

out = open(sys.argv[1], 'w')
n = 0
for raw in records(sys.argv[2:]):
    b = CBlock.deserialize(raw)
    rec = {
        'hash': b2lx(b.GetHash()), 'previousblockhash': b2lx(b.hashPrevBlock), 'merkleroot': b2lx(b.hashMerkleRoot),
        'version': b.nVersion, 'time': b.nTime, 'bits': '%08x' % b.nBits, 'nonce': b.nNonce,
        'tx': [{'txid': b2lx(tx.GetTxid()), 'hex': tx.serialize().hex()} for tx in b.vtx],
    }
    out.write(json.dumps(rec, separators=(',', ':')) + '\n')
    n += 1
print(n, 'blocks')
