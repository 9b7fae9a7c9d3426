#!/usr/bin/env bash
# The demo of the README: system packages, build, then the main job on the bundled samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh
swift build -c release --product spoor
SPOOR=.build/release/spoor
DATA=${SPOOR_DATA:-./spoor-data}
rm -rf "$DATA"
echo "== import samples/chain/blocks (regtest, with stale and out-of-order blocks, xor-obfuscated)"
$SPOOR import --data "$DATA" samples/chain/blocks
echo "== status"
$SPOOR status --data "$DATA"
echo "== a seller payment from the ground truth, looked up in the index"
txid=$(head -1 samples/chain/truth/payments.ndjson | sed -E 's/.*"txid":"([0-9a-f]{64})".*/\1/')
$SPOOR show tx --data "$DATA" "$txid"
addr=$(sed -n 2p samples/chain/watchlist.csv | cut -d, -f1)
echo "== watchlisted (synthetic) seller address $addr"
$SPOOR show address --data "$DATA" "$addr"
echo "== cluster the index into wallets (strict and extended layers)"
$SPOOR cluster --data "$DATA"
echo "== import the synthetic watchlist"
$SPOOR tag import --data "$DATA" samples/chain/watchlist.csv
echo "== the seller's wallet (strict layer) with its tags"
$SPOOR show cluster --data "$DATA" --limit 10 "$addr"
other=$($SPOOR show cluster --data "$DATA" --json "$addr" | grep -A2 '"addresses"' | sed -n 3p | tr -d ' ",')
if [ -n "$other" ] && [ "$other" != "$addr" ]; then
  echo "== why $other is in the same wallet"
  $SPOOR cluster explain --data "$DATA" "$addr" "$other"
fi
echo "== a synthetic daily price series (for fiat values)"
$SPOOR price import --data "$DATA" --series synthetic-usd-eur samples/prices.csv
echo "== who paid the seller's wallet"
$SPOOR payments --data "$DATA" --limit 5 "$addr"
echo "== where the seller's money went (forward, three taint models side by side)"
$SPOOR trace --data "$DATA" --hops 4 --model all "$addr" | tail -8
echo "== the seller's exposure"
$SPOOR exposure --data "$DATA" --hops 3 "$addr"
echo "== casework: a synthetic case and partner request, answered, reviewed by a second person, reported"
# first_value KEY: the first "KEY" : value in JSON on stdin (reads everything: no SIGPIPE for the writer).
first_value() { awk -v key="\"$1\"" '$1 == key && !done { v = $3; gsub(/[",]/, "", v); print v; done = 1 }'; }
coin=$($SPOOR payments --data "$DATA" --json "$addr" | first_value prevout)
$SPOOR keys init --data "$DATA"
$SPOOR case create --data "$DATA" --as analyst-a HL-DEMO-0001 --title "Synthetic seller storefront (demo)" \
  --site synthetic-shop.invalid --notes "Synthetic demo case; no real data."
request=$($SPOOR request create --data "$DATA" --as analyst-a --case HL-DEMO-0001 --from "Synthetic Exchange Compliance" \
  --partner-ref SX-DEMO-1 --question "Did our customer's coin pay a known seller, and who else paid that seller?" \
  --subject "$coin" --subject "$addr" --json | first_value id)
response=$($SPOOR response create --data "$DATA" --as analyst-a --request "$request" --json | first_value id)
$SPOOR response add-finding --data "$DATA" --as analyst-a "$response" --kind trace --subject "$coin" --model all --hops 4
$SPOOR response add-finding --data "$DATA" --as analyst-a "$response" --kind payments --subject "$addr"
$SPOOR response conclude --data "$DATA" --as analyst-a "$response" \
  --text "The customer's coin paid the wallet of synthetic-seller-1 directly; the seller's wallet received the payments listed."
$SPOOR response submit --data "$DATA" --as analyst-a "$response"
$SPOOR response approve --data "$DATA" --as reviewer-b "$response"
mkdir -p "$DATA/reports"
$SPOOR report --data "$DATA" --as analyst-a "$response" --out "$DATA/reports/HL-DEMO-0001"
$SPOOR report --data "$DATA" --as analyst-a "$response" --audience partner --out "$DATA/reports/HL-DEMO-0001-partner"
$SPOOR report verify --data "$DATA" "$DATA/reports/HL-DEMO-0001.json"
$SPOOR audit verify --data "$DATA"
echo "== the evidence report: $DATA/reports/HL-DEMO-0001.html (partner version: HL-DEMO-0001-partner.html)"
