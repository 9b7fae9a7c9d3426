#!/usr/bin/env bash
# Benchmarks of the chain index (issue 2), release build, on a synthetic chain of about
# 1,000,000 transactions; the python oracle (python-bitcoinlib) on the same blocks as a reference.
# Usage: scripts/bench.sh [OUT_DIR]   (default ./bench-out; needs ~2 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-./bench-out}
BLOCKS=${BENCH_BLOCKS:-4100}
TXPB=${BENCH_TX_PER_BLOCK:-250}
SEED=${BENCH_SEED:-1}
mkdir -p "$OUT"
./scripts/setup-system.sh
swift build -c release --product spoor
SPOOR=.build/release/spoor
CHAIN="$OUT/chain-$BLOCKS-$TXPB-$SEED"
if [ ! -d "$CHAIN/blocks" ]; then
  $SPOOR synth --out "$CHAIN" --blocks "$BLOCKS" --tx-per-block "$TXPB" --seed "$SEED" --stale 5
fi
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), sha_ni: $(grep -q sha_ni /proc/cpuinfo && echo yes || echo no)"
echo "== parse only, one core (median of 5)"
$SPOOR bench parse --repeat 5 "$CHAIN/blocks"
for i in 1 2 3; do
  rm -rf "$OUT/index-$i"
  echo "== full import, run $i"
  $SPOOR bench import --data "$OUT/index-$i" "$CHAIN/blocks"
done
if [ -d .venv-oracle ] || python3 -m venv .venv-oracle; then
  .venv-oracle/bin/pip install -q python-bitcoinlib >/dev/null 2>&1 || true
fi
if [ -x .venv-oracle/bin/python ] && [ -f ../shared/tools/oracle/dump_blocks.py ]; then
  echo "== python oracle (python-bitcoinlib), --summary mode over the same blocks"
  TIMEFORMAT="oracle: %R s wall"
  time .venv-oracle/bin/python ../shared/tools/oracle/dump_blocks.py --summary \
    -o "$OUT/oracle-summary.ndjson" "$CHAIN"/blocks/blk*.dat
  echo "oracle: $(wc -l < "$OUT/oracle-summary.ndjson") blocks summarised"
else
  echo "== python oracle not available (needs ../shared/tools/oracle and pip install python-bitcoinlib)"
fi
