#!/usr/bin/env bash
# Clustering benchmark (issue 3), release build: a synthetic chain of about 1,000,000
# transactions in 93 files of 4 MiB; import all but the last two files (~98.5 % of the blocks),
# run three full clusterings (medians), then import the last two files (~1.5 % more blocks) and
# time the incremental run against a full run of the whole chain.
# Usage: scripts/bench-cluster.sh [OUT_DIR]   (default ./bench-out; needs ~2 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-./bench-out}
mkdir -p "$OUT"
. ./scripts/bench-chain.sh
FILES=("$CHAIN"/blocks/blk*.dat)
KEEP=$(( ${#FILES[@]} - 2 ))
INDEX="$OUT/cluster-index"
rm -rf "$INDEX"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== import the first $KEEP of ${#FILES[@]} files"
$SPOOR import --data "$INDEX" "${FILES[@]:0:$KEEP}" | tail -1
echo "== full clustering, median of 3 (peak memory of the whole process below)"
/usr/bin/time -f "peak RSS %M KiB, %e s wall" $SPOOR bench cluster --data "$INDEX" --repeat 3
echo "== import the last two files"
$SPOOR import --data "$INDEX" "${FILES[@]}" | tail -1
for i in 1 2 3; do
  cp "$INDEX/index.sqlite" "$OUT/cluster-before.sqlite"
  echo "== incremental run $i"
  $SPOOR cluster --data "$INDEX" --json | grep -E '"mode"|"transactions"|"inputs"|"read"|"same_key"|"union"|"write"'
  cp "$OUT/cluster-before.sqlite" "$INDEX/index.sqlite"; rm -f "$INDEX/index.sqlite-wal" "$INDEX/index.sqlite-shm"
done
echo "== full clustering of the whole chain, for comparison (median of 3)"
$SPOOR bench cluster --data "$INDEX" --repeat 3
