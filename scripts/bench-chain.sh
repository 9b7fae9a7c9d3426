# Sourced by scripts/bench-cluster.sh and scripts/bench-trace.sh (with OUT set): the release build
# and the ~1,000,000-transaction synthetic chain both measure, made once in $OUT/cluster-chain
# (93 files of 4 MiB). Defines SPOOR and CHAIN.
./scripts/setup-system.sh
swift build -c release --product spoor
SPOOR=.build/release/spoor
CHAIN="$OUT/cluster-chain"
if [ ! -d "$CHAIN/blocks" ]; then
  $SPOOR synth --out "$CHAIN" --blocks 4100 --tx-per-block 250 --seed 1 --stale 5 --max-file-size 4194304
fi
