#!/usr/bin/env bash
# Detection quality on labelled traffic from `sluice simulate`, over several seeds:
#   Benchmarks/eval.sh [SEEDS…]        (default: 1 2 3; uses ../shared/data when present)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice >/dev/null
bin=.build/release/sluice
corpora=()
[ -d ../shared/data ] && corpora=(--corpora ../shared/data)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for seed in "${@:-1 2 3}"; do
    for s in $seed; do
        "$bin" simulate --out "$work/$s" --days 2 --seed "$s" "${corpora[@]}" >/dev/null
        echo "== seed $s"
        "$bin" eval "$work/$s/traffic.jsonl" --labels "$work/$s/labels.json"
    done
done
