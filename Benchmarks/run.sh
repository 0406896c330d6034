#!/bin/sh
# The performance benchmark of the README's "Performance" table, in one run:
# ingest vs Benchmarks/reference_ingest.py, /v1/check vs nginx, a scoring pass over 100k
# accounts, and tail lag under a 20k lines/s writer. Run from the package folder.
#   Benchmarks/run.sh [extra `sluice bench` options, e.g. --json or --days 2]
# Needs: python3 with orjson (pip install orjson), wrk and nginx (apt-get install -y wrk nginx-light).
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product sluice
corpora=""
[ -d ../shared/data ] && corpora="--corpora ../shared/data"
# shellcheck disable=SC2086
exec .build/release/sluice bench $corpora "$@"
