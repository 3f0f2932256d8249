#!/usr/bin/env bash
# Stripe webhook handling against the real server and PostgreSQL: signed subscription events for
# many accounts (10% delivered twice), sequential and 16 at once. Usage: make bench-webhook
# [BENCH_EVENTS=2000 BENCH_ACCOUNTS=15 (signups are throttled at 20 per IP)]
set -euo pipefail
cd "$(dirname "$0")/.."
(cd backend/tests/interop && { [ -d node_modules/stripe ] || npm ci --no-audit --no-fund --loglevel=error; })
trap 'scripts/serve-test-instance.sh stop bench-webhook' EXIT
STRIPE_WEBHOOK_SECRET=whsec_$(openssl rand -hex 24)
export STRIPE_WEBHOOK_SECRET
OTQ_BASE_URL=$(scripts/serve-test-instance.sh start bench-webhook STRIPE_WEBHOOK_SECRET="$STRIPE_WEBHOOK_SECRET")
export OTQ_BASE_URL
echo "commit $(git rev-parse --short HEAD), $(nproc) cores"
node bench/webhook.mjs
url=$(scripts/pg-cluster.sh url build/bench-webhook-pg)
echo "stripe_events: $(psql "$url" -qAtc "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE processed_at IS NOT NULL) || ' processed' FROM stripe_events")"
