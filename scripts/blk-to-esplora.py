#!/usr/bin/env python3
"""Writes Esplora-shaped explorer JSON (the transaction objects Blockstream's and mempool.space's
REST APIs serve: txid, version, locktime, vin[{txid, vout, prevout{scriptpubkey, value}, scriptsig,
witness, is_coinbase, sequence}], vout[{scriptpubkey, value}], size, weight, fee, status) for the
blocks of blk*.dat files holding one chain from genesis in order, independently of Spoor
(python-bitcoinlib). Prevouts come from earlier blocks of the same files. For benchmarks and tests.

Usage: blk-to-esplora.py [--from-height N] OUT.ndjson blk00000.dat [blk00001.dat ...]
Writes one transaction per line (NDJSON) for blocks at heights >= N.
"""
import json, os, sys
from bitcoin.core import CBlock, b2lx
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blkrecords import records  # noqa: E402

args = sys.argv[1:]
start = 0
if args[0] == '--from-height':
    start = int(args[1]); args = args[2:]
out = open(args[0], 'w')
outputs = {}
height = 0
written = 0
for raw in records(args[1:]):
    b = CBlock.deserialize(raw)
    status = {'confirmed': True, 'block_height': height, 'block_hash': b2lx(b.GetHash()), 'block_time': b.nTime}
    for i, tx in enumerate(b.vtx):
        txid = b2lx(tx.GetTxid())
        vin, insum = [], 0
        coinbase = tx.is_coinbase()
        for k, txin in enumerate(tx.vin):
            prev = None
            if not coinbase:
                spent = outputs.pop((b2lx(txin.prevout.hash), txin.prevout.n), None)
                if spent is not None:
                    prev = {'scriptpubkey': spent[1], 'value': spent[0]}
                    insum += spent[0]
            wit = []
            if tx.wit is not None and k < len(tx.wit.vtxinwit):
                wit = [w.hex() for w in tx.wit.vtxinwit[k].scriptWitness.stack]
            vin.append({'txid': b2lx(txin.prevout.hash), 'vout': txin.prevout.n, 'prevout': prev,
                        'scriptsig': bytes(txin.scriptSig).hex(), 'witness': wit,
                        'is_coinbase': coinbase, 'sequence': txin.nSequence})
        vout, outsum = [], 0
        for n, o in enumerate(tx.vout):
            vout.append({'scriptpubkey': bytes(o.scriptPubKey).hex(), 'value': o.nValue})
            outputs[(txid, n)] = (o.nValue, bytes(o.scriptPubKey).hex())
            outsum += o.nValue
        if height >= start:
            full = tx.serialize()
            stripped = tx.serialize(params={'include_witness': False}) if tx.has_witness() else full
            rec = {'txid': txid, 'version': tx.nVersion, 'locktime': tx.nLockTime, 'vin': vin, 'vout': vout,
                   'size': len(full), 'weight': len(stripped) * 3 + len(full),
                   'fee': 0 if coinbase else insum - outsum, 'status': status}
            out.write(json.dumps(rec, separators=(',', ':')) + '\n')
            written += 1
    height += 1
print(written, 'transactions from', height, 'blocks')
