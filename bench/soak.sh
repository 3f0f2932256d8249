#!/usr/bin/env bash
# Soak (not in make test): the mixed load of bench/load for SOAK_SECONDS (1800) at SOAK_CONNECTIONS
# (32) against a throwaway server with its admin port on, sampling every SOAK_SAMPLE_SECONDS (30)
# the server's resident memory, open descriptors and pooled connections (from /metrics) and the
# PostgreSQL backends it holds (pg_stat_activity). After a warm-up (the first sixth of the run) it
# fails when memory grows by more than SOAK_MAX_RSS_GROWTH_MB (32) from the warm-up's maximum,
# descriptors by more than 32, the backends exceed the pool, or any answer is a 5xx. Requests cut
# at REQUEST_TIMEOUT_MS (a socket error for the client) are counted and printed: they measure a
# saturated machine, which bench-load is for. Samples: build/soak/samples.csv.
#   make bench-soak        SOAK_SECONDS=600 make bench-soak
set -euo pipefail
cd "$(dirname "$0")/.."
name=bench-soak
seconds=${SOAK_SECONDS:-1800} every=${SOAK_SAMPLE_SECONDS:-30} connections=${SOAK_CONNECTIONS:-32}
trap 'kill "${load_pid:-}" 2>/dev/null || true; scripts/serve-test-instance.sh stop "$name"' EXIT
base=$(scripts/serve-test-instance.sh start "$name" TRUST_PROXY_HEADERS=true METRICS_PORT=0 DATABASE_POOL_SIZE=10)
log=build/$name-server.log
admin_port=$(grep '"event":"admin_listening"' "$log" | grep -o '"port":[0-9]*' | cut -d: -f2)
DATABASE_URL=$(scripts/pg-cluster.sh url "build/$name-pg")
password=$(openssl rand -hex 12)
DATABASE_URL=$DATABASE_URL bin/omnitrackiq seed-demo --password "$password" --orders 200000 --accounts 3 | tail -1
mkdir -p build/soak
echo "soak: commit $(git rev-parse --short HEAD), $(nproc) cores, $seconds s at $connections connections, a sample every $every s"
LOAD_BASE=$base LOAD_PASSWORD=$password LOAD_SPOOF_IPS=1 LOAD_DURATION=$seconds LOAD_CONNECTIONS=$connections \
  LOAD_JSON=build/soak/result.json node bench/load/loadgen.mjs >build/soak/loadgen.log 2>&1 &
load_pid=$!

sample() {
  local m
  m=$(curl -s --max-time 5 "http://127.0.0.1:$admin_port/metrics")
  local rss fds in_use idle backends
  rss=$(awk '$1 == "process_resident_memory_bytes" {printf "%.1f", $2 / 1048576}' <<<"$m")
  fds=$(awk '$1 == "process_open_fds" {print $2}' <<<"$m")
  in_use=$(awk '$1 == "otq_db_pool_connections{state=\"in_use\"}" {print $2}' <<<"$m")
  idle=$(awk '$1 == "otq_db_pool_connections{state=\"idle\"}" {print $2}' <<<"$m")
  backends=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'omnitrackiq-serve%'")
  echo "$1,$rss,$fds,$in_use,$idle,$backends"
}
echo "elapsed_s,rss_mb,open_fds,pool_in_use,pool_idle,pg_backends" >build/soak/samples.csv
start=$SECONDS
while kill -0 "$load_pid" 2>/dev/null; do
  sample $((SECONDS - start)) | tee -a build/soak/samples.csv
  sleep "$every"
done
wait "$load_pid" || true
tail -3 build/soak/loadgen.log
sample $((SECONDS - start)) | tee -a build/soak/samples.csv

node - "$seconds" <<'JS'
const fs = require('fs');
const seconds = Number(process.argv[2]);
const rows = fs.readFileSync('build/soak/samples.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
const warm = rows.filter((r) => r[0] <= seconds / 6), after = rows.filter((r) => r[0] > seconds / 6);
if (!warm.length || !after.length) { console.error('soak: too few samples'); process.exit(1); }
const max = (rs, i) => Math.max(...rs.map((r) => r[i])), min = (rs, i) => Math.min(...rs.map((r) => r[i]));
const growth = { rss: max(after, 1) - max(warm, 1), fds: max(after, 2) - max(warm, 2) };
// Least-squares slope of memory after the warm-up, in MB per hour.
const n = after.length, mx = after.reduce((s, r) => s + r[0], 0) / n, my = after.reduce((s, r) => s + r[1], 0) / n;
const slope = after.reduce((s, r) => s + (r[0] - mx) * (r[1] - my), 0) / Math.max(1e-9, after.reduce((s, r) => s + (r[0] - mx) ** 2, 0)) * 3600;
const r = JSON.parse(fs.readFileSync('build/soak/result.json', 'utf8'));
console.log(`soak: ${r.total.count} requests (${r.total.rps} req/s), 5xx ${r.total['5xx']}, socket errors ${r.total.errors}`);
console.log(`soak: after warm-up RSS ${min(after, 1)}–${max(after, 1)} MB (warm-up max ${max(warm, 1)} MB, slope ${slope.toFixed(1)} MB/h), descriptors ${min(after, 2)}–${max(after, 2)} (warm-up max ${max(warm, 2)}), PostgreSQL backends ${min(after, 5)}–${max(after, 5)}`);
const limits = { rss: Number(process.env.SOAK_MAX_RSS_GROWTH_MB || 32), fds: 32, backends: 10 + 1 };
const problems = [];
if (growth.rss > limits.rss) problems.push(`memory grew ${growth.rss.toFixed(1)} MB after the warm-up`);
if (growth.fds > limits.fds) problems.push(`descriptors grew by ${growth.fds}`);
if (max(rows, 5) > limits.backends) problems.push(`${max(rows, 5)} PostgreSQL backends for a pool of 10`);
if (r.total['5xx']) problems.push(`${r.total['5xx']} 5xx answers`);
if (problems.length) { console.error(`soak: FAILED: ${problems.join('; ')}`); process.exit(1); }
console.log('soak: flat');
JS
