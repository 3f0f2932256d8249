#!/usr/bin/env bash
# Tokens, password hashes and Stripe webhook signatures checked with npm's jsonwebtoken, bcryptjs and
# stripe against the real server; the n8n flows against the ingest API.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
(cd backend/tests/interop && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
trap '"$root/scripts/serve-test-instance.sh" stop interop' EXIT
JWT_SECRET=$(openssl rand -hex 32)
STRIPE_WEBHOOK_SECRET=whsec_$(openssl rand -hex 24)
export JWT_SECRET STRIPE_WEBHOOK_SECRET
OTQ_BASE_URL=$(scripts/serve-test-instance.sh start interop STRIPE_WEBHOOK_SECRET="$STRIPE_WEBHOOK_SECRET")
DATABASE_URL=$(scripts/pg-cluster.sh url build/interop-pg)
export OTQ_BASE_URL DATABASE_URL
(cd backend/tests/interop && node --test)
# Stopping the server flushes its log; then the whole log of this run must hold no token, key,
# password hash or the secret.
"$root/scripts/serve-test-instance.sh" stop interop
if grep -nE 'eyJ[A-Za-z0-9_-]{10,}\.|otq_live_[A-Za-z0-9]|\$2[aby]\$|interop-Passphrase|imported-Password' build/interop-server.log \
   || grep -nF -e "$JWT_SECRET" -e "$STRIPE_WEBHOOK_SECRET" build/interop-server.log; then
  echo "interop: secrets found in the server log (lines above)" >&2
  exit 1
fi
echo "interop: server log checked, no secrets"

