#!/usr/bin/env python3
"""Pairwise precision and recall of a clustering against ground truth.

Usage: score-clusters.py EXPORT.csv TRUTH_ADDRESSES.csv
  EXPORT.csv  from `spoor cluster export [--layer strict|extended]` (address,cluster)
  TRUTH       `truth/addresses.csv` from `spoor synth` (address,entity_id,...)
Counts only addresses present in both. Precision: share of address pairs put in one cluster that
have one owner. Recall: share of same-owner pairs put in one cluster. No third-party packages.
"""
import csv
import sys
from collections import Counter, defaultdict


def pairs(n):
    return n * (n - 1) // 2


def main(export_path, truth_path):
    owner = {}
    with open(truth_path, newline="") as f:
        for row in csv.DictReader(f):
            owner[row["address"]] = row["entity_id"]
    by_cluster = defaultdict(Counter)
    by_owner = Counter()
    with open(export_path, newline="") as f:
        for row in csv.DictReader(f):
            e = owner.get(row["address"])
            if e is None:
                continue
            by_cluster[row["cluster"]][e] += 1
            by_owner[e] += 1
    predicted = sum(pairs(sum(c.values())) for c in by_cluster.values())
    correct = sum(pairs(n) for c in by_cluster.values() for n in c.values())
    truth = sum(pairs(n) for n in by_owner.values())
    impure = sum(1 for c in by_cluster.values() if len(c) > 1)
    print(f"addresses scored: {sum(by_owner.values())}, clusters: {len(by_cluster)} ({impure} with more than one owner)")
    print(f"predicted pairs: {predicted}, correct: {correct}, true pairs: {truth}")
    print(f"precision: {correct / predicted if predicted else 1.0:.6f}")
    print(f"recall: {correct / truth if truth else 1.0:.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
