#!/usr/bin/env bash
# Tracing benchmarks (issue 4), release build, on the ~1M-transaction synthetic chain of
# scripts/bench-cluster.sh (made here if missing): clustered, with the chain's synthetic watchlist
# imported. 200 six-hop forward haircut traces from a seeded sample of ordinary (untagged)
# addresses, p50/p90/p99; then 5,000 addresses screened with 2-hop exposure. Three runs, and the
# same without tags (traces then only stop at CoinJoins, unspent outputs and the limits).
# Usage: scripts/bench-trace.sh [OUT_DIR]   (default ./bench-out)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-./bench-out}
mkdir -p "$OUT"
. ./scripts/bench-chain.sh
INDEX="$OUT/trace-index"
if [ ! -f "$INDEX/index.sqlite" ]; then
  $SPOOR import --data "$INDEX" "$CHAIN/blocks" | tail -1
  $SPOOR cluster --data "$INDEX" | head -1
fi
$SPOOR tag import --data "$INDEX" "$CHAIN/watchlist.csv"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for i in 1 2 3; do
  echo "== run $i (with the watchlist)"
  $SPOOR bench trace --data "$INDEX" --samples 200 --hops 6 --screen 5000 --screen-hops 2
done
rm -rf "$OUT/trace-index-untagged"; mkdir -p "$OUT/trace-index-untagged"
cp "$INDEX/index.sqlite" "$OUT/trace-index-untagged/"
sqlite3 "$OUT/trace-index-untagged/index.sqlite" "DELETE FROM tag; DELETE FROM tag_import;" 2>/dev/null \
  || python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM tag'); c.execute('DELETE FROM tag_import'); c.commit()" "$OUT/trace-index-untagged/index.sqlite"
echo "== without tags"
$SPOOR bench trace --data "$OUT/trace-index-untagged" --samples 200 --hops 6 --screen 5000 --screen-hops 2
