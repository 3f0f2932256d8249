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
show() { grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors'; }
for path in /api/v1/health /api/v1/ready /; do
  echo "== GET $path"
  wrk -t2 -c64 -d"$duration" --latency "$base$path" | show
done

# Authenticated: JWT verification plus the per-request membership read from PostgreSQL.
token=$(curl -sf "$base/api/v1/auth/signup" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-Passphrase-2026","account_name":"Bench"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
echo "== GET /api/v1/auth/me (bearer token)"
wrk -t2 -c64 -d"$duration" --latency -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | show

# Login is bcrypt-bound by design (cost 12). Successful logins count toward the 300 attempts per
# address in 15 minutes: a 10 s run at 4 connections stays under it (~240 logins).
echo "== POST /api/v1/auth/login (bcrypt cost 12, 4 connections)"
wrk -t2 -c4 -d"$duration" --latency -s bench/login.lua "$base/api/v1/auth/login" | show
