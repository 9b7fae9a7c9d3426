#!/usr/bin/env python3
"""Writes blockchain-etl-shaped `blocks` and `transactions` exports of the blocks in blk*.dat files,
independently of Spoor (python-bitcoinlib). For tests and benchmarks.

The rows follow bitcoin-etl's `export_blocks_and_transactions` (blockchain-etl/bitcoin-etl,
`block_mapper.py`, `transaction_mapper.py`, `btc_service.py`):

- blocks: hash, size, stripped_size, weight, number, version, merkle_root, timestamp (Unix
  seconds), nonce (integer), bits (hex), coinbase_param (the coinbase scriptSig, hex),
  transaction_count; `previous_block_hash` only with --previous-hash (newer bitcoin-etl versions).
- transactions: hash, size, virtual_size, version, lock_time, block_number, block_hash,
  block_timestamp, is_coinbase, index, input_count, output_count, input_value, output_value, fee,
  inputs[{index, spent_transaction_hash, spent_output_index, script_asm, script_hex, sequence,
  required_signatures, type, addresses, value}], outputs[{index, script_asm, script_hex,
  required_signatures, type, addresses, value}]. Values are satoshis (integers). As in bitcoin-etl
  the coinbase input is removed (its scriptSig is the block's coinbase_param; its sequence is not
  exported) and witnesses are not exported.

JSON lines are written as bitcoin-etl's JsonLinesItemExporter does (json.dumps, one object a line);
CSV as its CsvItemExporter does (csv.writer, header row, CRLF; a nested list is written as
Python's str() of it, an empty list as an empty field, None as an empty field, booleans as
True/False).

Heights: the first block's number is --start-height (default 0), then +1 per block in file order
(the input must be consecutive blocks of one chain unless --heights gives them).

Usage: blk-to-etl.py [--csv] [--previous-hash] [--start-height N] [--heights H1,H2,...]
                     [--only HASH,...] OUTDIR blk00000.dat [...]
Writes OUTDIR/blocks.json and OUTDIR/transactions.json (or .csv).
"""
import argparse, csv, hashlib, json, os, struct
from bitcoin.core import CBlock, b2lx, b2x
from bitcoin.core.script import CScript, CScriptOp
from bitcoin.wallet import CBitcoinAddress, P2PKHBitcoinAddress, CBitcoinAddressError
import bitcoin
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blkrecords import records  # noqa: E402

BLOCK_FIELDS = ['hash', 'size', 'stripped_size', 'weight', 'number', 'version', 'merkle_root', 'timestamp', 'nonce', 'bits',
                'coinbase_param', 'transaction_count']
TX_FIELDS = ['hash', 'size', 'virtual_size', 'version', 'lock_time', 'block_number', 'block_hash', 'block_timestamp', 'is_coinbase',
             'index', 'input_count', 'output_count', 'input_value', 'output_value', 'fee', 'inputs', 'outputs']


def asm(script):
    try:
        parts = []
        for op in CScript(script):
            parts.append(op.hex() if isinstance(op, bytes) else (str(op) if isinstance(op, CScriptOp) else str(op)))
        return ' '.join(parts)
    except Exception:
        return '[error]'


def classify(script):
    """(type, addresses, required_signatures) the way Core before v22 showed them (P2PK as P2PKH)."""
    s = CScript(script)
    try:
        if len(script) in (35, 67) and script[0] == len(script) - 2 and script[-1] == 0xac:
            return 'pubkey', [str(P2PKHBitcoinAddress.from_pubkey(script[1:-1], accept_invalid=True))], 1
        if s.is_unspendable() or (len(script) > 0 and script[0] == 0x6a):
            return 'nulldata', [], None
        a = CBitcoinAddress.from_scriptPubKey(s)
        kind = {'P2PKHBitcoinAddress': 'pubkeyhash', 'P2SHBitcoinAddress': 'scripthash',
                'P2WPKHBitcoinAddress': 'witness_v0_keyhash', 'P2WSHBitcoinAddress': 'witness_v0_scripthash'}.get(type(a).__name__,
                                                                                                              'witness_unknown')
        return kind, [str(a)], 1
    except (CBitcoinAddressError, ValueError, Exception):
        pass
    # bitcoin-etl names a script without an address 'nonstandard' + a digest of its hex.
    return 'nonstandard', ['nonstandard' + hashlib.sha256(script.hex().encode()).hexdigest()[:40]], None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--csv', action='store_true')
    ap.add_argument('--previous-hash', action='store_true')
    ap.add_argument('--start-height', type=int, default=0)
    ap.add_argument('--heights', default='')
    ap.add_argument('--only', default='')
    ap.add_argument('--network', default='mainnet')
    ap.add_argument('out')
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    bitcoin.SelectParams(a.network)
    only = set(h for h in a.only.split(',') if h)
    heights = [int(h) for h in a.heights.split(',') if h]
    os.makedirs(a.out, exist_ok=True)
    ext = 'csv' if a.csv else 'json'
    bf = open(os.path.join(a.out, 'blocks.' + ext), 'w', newline='')
    tf = open(os.path.join(a.out, 'transactions.' + ext), 'w', newline='')
    bfields = BLOCK_FIELDS + (['previous_block_hash'] if a.previous_hash else [])
    if a.csv:
        bw, tw = csv.writer(bf), csv.writer(tf)
        bw.writerow(bfields)
        tw.writerow(TX_FIELDS)

    def emit(writer_file, writer, fields, row):
        if a.csv:
            out = []
            for f in fields:
                v = row.get(f)
                if isinstance(v, list):
                    v = '' if not v else str(v)
                out.append('' if v is None else str(v))
            writer.writerow(out)
        else:
            writer_file.write(json.dumps({f: row.get(f) for f in fields}) + '\n')

    spent_values = {}  # (txid, n) -> (value, type, addresses)
    n_blocks = n_txs = 0
    number = a.start_height
    for raw in records(a.files):
        b = CBlock.deserialize(raw)
        h = b2lx(b.GetHash())
        if only and h not in only:
            continue
        if heights:
            number = heights[n_blocks]
        stripped = len(b.serialize(params={'include_witness': False}))
        block = {
            'hash': h, 'size': len(raw), 'stripped_size': stripped, 'weight': 3 * stripped + len(raw), 'number': number,
            'version': b.nVersion, 'merkle_root': b2lx(b.hashMerkleRoot), 'timestamp': b.nTime, 'nonce': b.nNonce,
            'bits': '%08x' % b.nBits, 'coinbase_param': b2x(b.vtx[0].vin[0].scriptSig), 'transaction_count': len(b.vtx),
            'previous_block_hash': b2lx(b.hashPrevBlock),
        }
        emit(bf, bw if a.csv else None, bfields, block)
        for i, tx in enumerate(b.vtx):
            txid = b2lx(tx.GetTxid())
            full = len(tx.serialize())
            base = len(tx.serialize(params={'include_witness': False}))
            coinbase = tx.is_coinbase()
            inputs = []
            if not coinbase:
                for j, vin in enumerate(tx.vin):
                    prev = (b2lx(vin.prevout.hash), vin.prevout.n)
                    known = spent_values.get(prev)
                    inputs.append({
                        'index': j, 'spent_transaction_hash': prev[0], 'spent_output_index': prev[1],
                        'script_asm': asm(vin.scriptSig), 'script_hex': b2x(vin.scriptSig), 'sequence': vin.nSequence,
                        'required_signatures': None, 'type': known[1] if known else None,
                        'addresses': known[2] if known else [], 'value': known[0] if known else None,
                    })
            outputs = []
            for n, vout in enumerate(tx.vout):
                kind, addresses, req = classify(bytes(vout.scriptPubKey))
                outputs.append({
                    'index': n, 'script_asm': asm(vout.scriptPubKey), 'script_hex': b2x(vout.scriptPubKey),
                    'required_signatures': req, 'type': kind, 'addresses': addresses, 'value': vout.nValue,
                })
                spent_values[(txid, n)] = (vout.nValue, kind, addresses)
            input_value = None if any(x['value'] is None for x in inputs) else sum(x['value'] for x in inputs)
            output_value = sum(x['value'] for x in outputs)
            row = {
                'hash': txid, 'size': full, 'virtual_size': (3 * base + full + 3) // 4, 'version': tx.nVersion,
                'lock_time': tx.nLockTime, 'block_number': number, 'block_hash': h, 'block_timestamp': b.nTime,
                'is_coinbase': coinbase, 'index': i, 'input_count': len(inputs), 'output_count': len(outputs),
                'input_value': 0 if coinbase else input_value, 'output_value': output_value,
                'fee': 0 if coinbase else (None if input_value is None else input_value - output_value),
                'inputs': inputs, 'outputs': outputs,
            }
            emit(tf, tw if a.csv else None, TX_FIELDS, row)
            n_txs += 1
        n_blocks += 1
        number += 1
    print(n_blocks, 'blocks,', n_txs, 'transactions')


if __name__ == '__main__':
    main()
