#!/usr/bin/env bash
# The metrics engine under a year of a large store's data (issue "Metrics engine", docs/benchmarks.md):
# seeds 1,000,000 orders and 365 days x 40 campaigns for one store plus 200 smaller stores, then
# measures each dashboard endpoint with wrk at 1 and 64 connections, and the server's RSS.
# Usage: make bench-metrics   (BENCH_DURATION=20s BENCH_ORDERS=1000000 BENCH_EXTRA=200 to change)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
duration=${BENCH_DURATION:-20s}
orders=${BENCH_ORDERS:-1000000}
extra=${BENCH_EXTRA:-200}
name=bench-metrics
cold_pid=""
trap '[ -n "$cold_pid" ] && kill "$cold_pid" 2>/dev/null; scripts/serve-test-instance.sh stop $name' EXIT
JWT_SECRET=$(openssl rand -hex 32)
TOKEN_ENCRYPTION_KEY="k1:$(openssl rand -base64 32)"
export TOKEN_ENCRYPTION_KEY
export JWT_SECRET
# A production-like buffer cache (the PostgreSQL default of 128MB is sized for tiny machines).
export PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-512MB}
base=$(scripts/serve-test-instance.sh start $name)
url=$(scripts/pg-cluster.sh url build/$name-pg)
pid=$(cat build/$name-server.pid)
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), shared_buffers $PG_SHARED_BUFFERS"

password=bench-Passphrase-2026
echo "== seed-demo: $orders orders, 365 days, 40 campaigns + $extra stores of 2,000 orders"
/usr/bin/time -f "seed-demo wall %e s, max RSS %M KB" \
  env DATABASE_URL="$url" bin/omnitrackiq seed-demo --email bench@example.com --password "$password" \
  --orders "$orders" --days 365 --accounts $((extra + 1)) --orders-per-extra 2000 --seed 1 |
  grep -E 'store 1/|stores,'
# Vacuum and analyze now, so autovacuum does not start on the fresh million rows mid-measurement.
psql "$url" -qAtc "VACUUM (ANALYZE) orders, order_refunds, customers, ad_spend, fx_rates_daily, rollup_orders_daily,
  rollup_refunds_daily, rollup_repeat_daily, rollup_spend_daily"

token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench@example.com\",\"password\":\"$password\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
today=$(psql "$url" -qAtc "SELECT (now() AT TIME ZONE 'America/New_York')::date")
from=$(psql "$url" -qAtc "SELECT (now() AT TIME ZONE 'America/New_York')::date - 364")
range="from=$from&to=$today"

show() { grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' | xargs echo; }
run() {  # label, path [base]
  for c in 1 64; do
    printf '%-52s c=%-3s ' "$1" "$c"
    wrk -t"$((c < 2 ? 1 : 2))" -c"$c" -d"$duration" --latency -H "Authorization: Bearer $token" "${3:-$base}$2" | show
  done
}
echo "== answers cache on (METRICS_CACHE_MB=64, the default): repeated reads are served from it"
run "summary 365d + compare" "/api/v1/metrics/summary?$range&compare=previous_period"
run "timeseries 365d by day (revenue,spend,roas,orders)" "/api/v1/metrics/timeseries?$range"
run "timeseries 365d by week, by platform" "/api/v1/metrics/timeseries?$range&interval=week&group_by=platform"
run "campaigns 365d (sorted by spend)" "/api/v1/metrics/campaigns?$range"
run "orders first page (50)" "/api/v1/metrics/orders?$range"
run "channels 365d" "/api/v1/metrics/channels?$range"
grep -E 'VmHWM|VmRSS' /proc/"$pid"/status | xargs echo "server memory:"

echo "== cache off (METRICS_CACHE_MB=0): every request computes from the rollups"
cold_log=build/$name-cold.log
env DATABASE_URL="$url" METRICS_CACHE_MB=0 PORT=0 STATIC_DIR=/nonexistent bin/omnitrackiq serve >"$cold_log" 2>&1 &
cold_pid=$!
cold=""
for _ in $(seq 1 200); do
  cold=$(grep -o '"event":"listening".*"port":[0-9]*' "$cold_log" 2>/dev/null | grep -o '"port":[0-9]*' | cut -d: -f2 || true)
  [ -n "$cold" ] && break
  sleep 0.05
done
cold="http://127.0.0.1:$cold"
run "summary 365d + compare (uncached)" "/api/v1/metrics/summary?$range&compare=previous_period" "$cold"
run "timeseries 365d by day (uncached)" "/api/v1/metrics/timeseries?$range" "$cold"
run "campaigns 365d (uncached)" "/api/v1/metrics/campaigns?$range" "$cold"
echo "== orders.csv, 365 days ($orders orders) streamed"
/usr/bin/time -f "orders.csv wall %e s" curl -sf -o /dev/null -w 'orders.csv %{size_download} bytes\n' \
  -H "Authorization: Bearer $token" "$base/api/v1/metrics/orders.csv?$range"
grep -E 'VmHWM|VmRSS' /proc/"$pid"/status | xargs echo "server memory after the export:"
