#!/usr/bin/env bash
# Fault suite (backend/tests/fault/README.md): each scenario starts its own PostgreSQL cluster and
# server and puts it under load while something goes wrong. About 2 minutes on 2 cores.
#   scripts/fault.sh                                  the default scenarios
#   FAULT_SCENARIOS="pg_restart sigterm" scripts/fault.sh
#   OTQ_BIN=build/asan/omnitrackiq scripts/fault.sh   another build (default bin/omnitrackiq)
#   FAULT_SCALE=5 scripts/fault.sh                    every load phase five times longer
#   OTQ_BASE_URL=http://127.0.0.1:8080 node backend/tests/fault/bad_input.mjs   the sweep against any server
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "fault: node is missing" >&2; exit 1; }
export OTQ_BIN=${OTQ_BIN:-bin/omnitrackiq}
[ -x "$OTQ_BIN" ] || { echo "fault: no binary at $OTQ_BIN (make backend, or set OTQ_BIN)" >&2; exit 1; }
# 10,000 idle connections need as many descriptors here and in the server (started from here).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
scenarios=${FAULT_SCENARIOS:-pg_restart sigterm slow_clients bad_input}
failed=()
started=$SECONDS
for s in $scenarios; do
  t=$SECONDS
  echo "== fault: $s"
  if node "backend/tests/fault/$s.mjs"; then
    echo "== fault: $s passed in $((SECONDS - t)) s"
  else
    echo "== fault: $s FAILED in $((SECONDS - t)) s (server log: build/fault-$s-server.log)"
    failed+=("$s")
  fi
done
echo "fault: $(( $(wc -w <<<"$scenarios") - ${#failed[@]} )) of $(wc -w <<<"$scenarios") scenarios passed in $((SECONDS - started)) s (ulimit -n $(ulimit -n), $OTQ_BIN)"
[ ${#failed[@]} -eq 0 ] || { echo "fault: failed: ${failed[*]}" >&2; exit 1; }
