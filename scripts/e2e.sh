#!/usr/bin/env bash
# Headless Chromium (Debian's) against the real server, the real PostgreSQL and the built frontend:
# the public site and signup (smoke.mjs), the app on seeded demo data (app.mjs), and Lighthouse on
# / and /login (lighthouse.mjs). Screenshots: frontend/e2e/screenshots/; reports: frontend/e2e/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'scripts/serve-test-instance.sh stop e2e' EXIT
base=$(scripts/serve-test-instance.sh start e2e)
demo_password=$(openssl rand -hex 12)
# A demo store plus one client store, 120 days: enough for every page, seeded in about a second.
DATABASE_URL=$(scripts/pg-cluster.sh url build/e2e-pg) bin/omnitrackiq seed-demo --password "$demo_password" \
  --days 120 --orders 3000 --accounts 2 --orders-per-extra 300 >/dev/null
status=0
OTQ_BASE_URL=$base node frontend/e2e/smoke.mjs || status=1
OTQ_BASE_URL=$base OTQ_DEMO_PASSWORD=$demo_password node frontend/e2e/app.mjs || status=1
OTQ_BASE_URL=$base node frontend/e2e/lighthouse.mjs || status=1
exit $status
