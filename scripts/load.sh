#!/usr/bin/env bash
# Mixed load (bench/load/README.md): a throwaway PostgreSQL and server, a seeded demo store, then
# bench/load/loadgen.mjs for LOAD_DURATION s (60) at LOAD_CONNECTIONS (64): dashboard reads, order
# pages, ingest batches and logins. Prints the table and the p99 of each route, checks that every
# acknowledged ingest row is in PostgreSQL, and fails on any 5xx or socket error.
#   make bench-load      LOAD_DURATION=120 LOAD_CONNECTIONS=128 LOAD_SEED_ORDERS=1000000 make bench-load
# Other knobs (see loadgen.mjs): LOAD_MIX, LOAD_INGEST_CONNECTIONS, LOAD_ROWS, LOAD_LOGIN_RATE.
# Results: build/load/result.json (figures) and build/load/acks.jsonl (the ingest batches).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${LOAD_NAME:-bench-load}
trap 'scripts/serve-test-instance.sh stop "$name"' EXIT
# Logins come from many addresses behind a proxy (X-Forwarded-For), as in production; without
# it every login counts against 127.0.0.1's 300 attempts per 15 minutes.
base=$(scripts/serve-test-instance.sh start "$name" TRUST_PROXY_HEADERS=true)
DATABASE_URL=$(scripts/pg-cluster.sh url "build/$name-pg")
password=$(openssl rand -hex 12)
orders=${LOAD_SEED_ORDERS:-200000} stores=${LOAD_SEED_STORES:-5}
echo "load: seeding $orders orders over 365 days in the main store plus $((stores - 1)) client stores"
DATABASE_URL=$DATABASE_URL bin/omnitrackiq seed-demo --password "$password" --orders "$orders" --accounts "$stores" | tail -1
mkdir -p build/load
echo "load: commit $(git rev-parse --short HEAD), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_BASE=$base LOAD_PASSWORD=$password LOAD_SPOOF_IPS=1 LOAD_DURATION=${LOAD_DURATION:-60} \
  LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-64} LOAD_JSON=build/load/result.json LOAD_ACKS=build/load/acks.jsonl \
  node bench/load/loadgen.mjs
echo "load: server RSS after the run: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/"$(cat "build/$name-server.pid")"/status)"
status=0
node bench/load/verify-acks.mjs build/load/acks.jsonl "$DATABASE_URL" || status=1
node -e '
  const r = JSON.parse(require("fs").readFileSync("build/load/result.json", "utf8"));
  for (const [route, s] of Object.entries(r.routes)) console.log(`p99 ${route}: ${s.p99_ms} ms`);
  const t = r.total;
  if (t["5xx"] || t.errors) { console.error(`load: ${t["5xx"]} answers were 5xx and ${t.errors} requests had socket errors`); process.exit(1); }
' || status=1
exit $status
