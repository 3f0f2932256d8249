#!/usr/bin/env bash
# Ingest API throughput: 5,000-row batches of spend and orders against the real server and
# PostgreSQL (new, unchanged, changed). Usage: make bench-ingest [BENCH_BATCHES=20]
# Diagnosis: BENCH_VERBOSE=1 prints every batch's time; BENCH_LOG_SLOW=1 logs statements over
# 500 ms with their plans (auto_explain) and BENCH_KEEP_LOG=1 keeps PostgreSQL's log in
# /tmp/bench-ingest-pg.log; BENCH_ANALYZE_FIRST=1 analyses before the last phase.
set -euo pipefail
cd "$(dirname "$0")/.."
trap '[ -z "${BENCH_KEEP_LOG:-}" ] || cp build/bench-ingest-pg/server.log /tmp/bench-ingest-pg.log; scripts/serve-test-instance.sh stop bench-ingest' EXIT
OTQ_BASE_URL=$(scripts/serve-test-instance.sh start bench-ingest)
export OTQ_BASE_URL
DATABASE_URL=$(scripts/pg-cluster.sh url build/bench-ingest-pg)
export DATABASE_URL
PG_ADMIN_URL=${DATABASE_URL/user=omnitrackiq/user=postgres}
export PG_ADMIN_URL
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, batches of 5,000 rows, one client"
python3 bench/ingest.py
pid=$(cat build/bench-ingest-server.pid)
echo "server RSS after the run: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/"$pid"/status)"
