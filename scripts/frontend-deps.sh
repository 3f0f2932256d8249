#!/usr/bin/env bash
# Runs `npm ci` for the frontend when node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
stamp=node_modules/.otq-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
