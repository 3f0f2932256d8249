#!/usr/bin/env bash
# HTTP throughput and latency of the real server on loopback (wrk, 2 threads, 64 connections).
# Usage: make bench   (figures are recorded by hand in docs/benchmarks.md with the date and commit)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
trap 'scripts/serve-test-instance.sh stop bench' EXIT
base=$(scripts/serve-test-instance.sh start bench)  # request logging on, as in production
duration=${BENCH_DURATION:-10s}
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, wrk -t2 -c64 -d$duration --latency"
for path in /api/v1/health /api/v1/ready /; do
  echo "== GET $path"
  wrk -t2 -c64 -d"$duration" --latency "$base$path" | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors'
done
