#!/usr/bin/env bash
# Tokens and password hashes checked with npm's jsonwebtoken and bcryptjs against the real server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
(cd backend/tests/interop && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
trap '"$root/scripts/serve-test-instance.sh" stop interop' EXIT
JWT_SECRET=$(openssl rand -hex 32)
export JWT_SECRET
OTQ_BASE_URL=$(scripts/serve-test-instance.sh start interop)
DATABASE_URL=$(scripts/pg-cluster.sh url build/interop-pg)
export OTQ_BASE_URL DATABASE_URL
cd backend/tests/interop && node --test
