#!/usr/bin/env bash
# Sync throughput end to end: `omnitrackiq worker` syncs a 100,000-order Shopify shop and a
# 1,000,000-row Meta ad account (1,000 campaigns x 1,000 days) from the test suite's fake
# providers over HTTP into a private PostgreSQL. Usage: make bench-sync [BENCH_ARGS="--orders N
# --campaigns C --days D"]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S backend -B build/release -DOTQ_BUILD_BENCH=ON >/dev/null
cmake --build build/release --target otq_sync_bench -j"$(nproc)" >/dev/null
data=build/bench-sync-pg/data
trap 'scripts/pg-cluster.sh destroy "$data" >/dev/null 2>&1 || true' EXIT
scripts/pg-cluster.sh start "$data" --fast >/dev/null
backend/tests/support/make-template.sh "$PWD" "$data" build/release/omnitrackiq >/dev/null
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, worker and PostgreSQL on this machine"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of flags
OTQ_TEST_PG_DATA=$PWD/$data build/release/tests/otq_sync_bench ${BENCH_ARGS:-}
