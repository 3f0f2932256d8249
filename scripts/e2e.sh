#!/usr/bin/env bash
# Headless Chromium (Debian's) against the real server, the real PostgreSQL and the built frontend.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'scripts/serve-test-instance.sh stop e2e' EXIT
base=$(scripts/serve-test-instance.sh start e2e)
OTQ_BASE_URL=$base node frontend/e2e/smoke.mjs
